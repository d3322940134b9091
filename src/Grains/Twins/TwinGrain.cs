using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Json;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// A twin. Every change runs through <see cref="Mutate"/>: under a grain-local gate (incoming-index calls interleave
/// with long operations), apply the change, write state, update the index, and only then acknowledge. A failed write
/// reloads the stored state so memory never runs ahead of storage.
/// </summary>
public sealed class TwinGrain(
    [PersistentState("twin", StorageNames.Twins)] IPersistentState<TwinState> state,
    TwinRules rules,
    IndexRouter index,
    TwinMetrics metrics,
    TimeProvider time,
    ILogger<TwinGrain> logger) : Grain, ITwinGrain
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string Id => this.GetPrimaryKeyString();

    private TwinState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.Activated();
        return Task.CompletedTask;
    }

    public async Task<TwinSnapshot> Create(string modelId, string propertiesJson)
    {
        rules.CheckTwinId(Id);
        if (S.Exists)
        {
            throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{Id}' already exists");
        }

        var properties = await rules.CheckNewTwin(modelId, propertiesJson);
        await Mutate("create", s =>
        {
            var now = time.GetUtcNow();
            s.Exists = true;
            s.ModelId = modelId;
            s.PropertiesJson = properties;
            s.CreatedAt = now;
            Touch(s, now);
        });
        return S.ToSnapshot(Id);
    }

    public Task<TwinSnapshot?> Get() => Task.FromResult(S.Exists ? S.ToSnapshot(Id) : null);

    public async Task<TwinSnapshot> Replace(string propertiesJson, string? ifMatch)
    {
        Require(ifMatch);
        var text = await rules.CheckProperties(S.ModelId, propertiesJson);
        await Mutate("replace", s => { CheckETag(s, ifMatch); s.PropertiesJson = text; Touch(s); });
        return S.ToSnapshot(Id);
    }

    public async Task<TwinSnapshot> Patch(string jsonPatch, string? ifMatch)
    {
        Require(ifMatch);
        var before = S.ETag;
        var patched = JsonPatch.Apply(JsonText.ParseObject(S.PropertiesJson, "stored properties"), jsonPatch);
        var text = await rules.CheckProperties(S.ModelId, JsonText.Write(patched));
        // The patch was computed from the state as of `before`; a write that slipped in since makes it stale.
        await Mutate("patch", s => { CheckETag(s, before); s.PropertiesJson = text; Touch(s); });
        return S.ToSnapshot(Id);
    }

    public async Task<int> Delete(string? ifMatch, bool cascade)
    {
        Require(ifMatch);
        var relationships = S.Outgoing.Count + S.Incoming.Count;
        if (relationships > 0 && !cascade)
        {
            throw new TwinOperationException(
                TwinErrorCode.Conflict,
                $"twin '{Id}' has {S.Outgoing.Count} outgoing and {S.Incoming.Count} incoming relationships; remove them or delete with cascade");
        }

        foreach (var rel in S.Outgoing.Values.ToList())
        {
            await RemoveRelationship(rel.Id, null);
        }

        foreach (var incoming in S.Incoming.Values.ToList())
        {
            try
            {
                await GrainFactory.GetGrain<ITwinGrain>(incoming.SourceId).RemoveRelationship(incoming.RelationshipId, null);
            }
            catch (TwinOperationException ex) when (ex.Code == TwinErrorCode.NotFound)
            {
                // The source no longer holds it (left over from a crash between the two writes): just forget it.
            }

            await RemoveIncoming(incoming.SourceId, incoming.RelationshipId);
        }

        // The ETag was checked on entry; removing our own relationships above changed it, nothing else could.
        await _gate.WaitAsync();
        try
        {
            await state.ClearStateAsync();
            S.Clear();
            await index.Remove(Id);
        }
        finally
        {
            _gate.Release();
        }

        metrics.Wrote("delete");
        DeactivateOnIdle();
        return relationships;
    }

    public async Task<Relationship> AddRelationship(string relationshipId, string name, string targetId, string propertiesJson, string? ifMatch)
    {
        Require(ifMatch);
        var relationship = await rules.CheckNewRelationship(S, Id, relationshipId, name, targetId, propertiesJson);
        var target = GrainFactory.GetGrain<ITwinGrain>(targetId);
        var targetModel = await target.AddIncoming(new IncomingRelationship(relationshipId, name, Id));
        try
        {
            await rules.CheckTarget(S.ModelId, name, targetModel);
            await Mutate("relate", s =>
            {
                CheckETag(s, ifMatch);
                if (!s.Outgoing.TryAdd(relationshipId, relationship))
                {
                    throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{Id}' already has a relationship '{relationshipId}'");
                }

                Touch(s);
            });
        }
        catch
        {
            await target.RemoveIncoming(Id, relationshipId);
            throw;
        }

        return relationship;
    }

    public async Task RemoveRelationship(string relationshipId, string? ifMatch)
    {
        Require(ifMatch);
        if (!S.Outgoing.TryGetValue(relationshipId, out var relationship))
        {
            throw new TwinOperationException(TwinErrorCode.NotFound, $"twin '{Id}' has no relationship '{relationshipId}'");
        }

        await Mutate("unrelate", s => { CheckETag(s, ifMatch); s.Outgoing.Remove(relationshipId); Touch(s); });
        try
        {
            await GrainFactory.GetGrain<ITwinGrain>(relationship.TargetId).RemoveIncoming(Id, relationshipId);
        }
        catch (Exception ex) when (ex is not TwinOperationException)
        {
            // The outgoing side is the truth; a stale incoming entry is dropped when the target next checks it.
            logger.LogWarning(ex, "Twin {TwinId}: target {Target} did not drop incoming {Relationship}", Id, relationship.TargetId, relationshipId);
        }
    }

    public Task<ImmutableArray<Relationship>> GetRelationships(string? name) =>
        Task.FromResult(S.Outgoing.Values.Where(r => name is null || r.Name == name).OrderBy(r => r.Id, StringComparer.Ordinal).ToImmutableArray());

    public Task<ImmutableArray<IncomingRelationship>> GetIncoming(string? name) =>
        Task.FromResult(S.Incoming.Values.Where(r => name is null || r.Name == name).OrderBy(r => r.SourceId, StringComparer.Ordinal).ToImmutableArray());

    public Task<string?> GetParent() => Task.FromResult(S.Exists ? S.ParentId : null);

    public Task<ImmutableArray<string>> GetChildren() =>
        Task.FromResult(S.Outgoing.Values.Where(r => r.Name == RelationshipNames.Contains).Select(r => r.TargetId).Order(StringComparer.Ordinal).ToImmutableArray());

    public async Task<string> AddIncoming(IncomingRelationship incoming)
    {
        if (!S.Exists)
        {
            throw new TwinOperationException(TwinErrorCode.NotFound, $"target twin '{Id}' does not exist");
        }

        await Mutate("incoming", s =>
        {
            if (incoming.Name == RelationshipNames.Contains && s.ParentId is { } parent && parent != incoming.SourceId)
            {
                throw new TwinOperationException(TwinErrorCode.Conflict, $"twin '{Id}' is already contained by '{parent}'; a twin has one container");
            }

            s.Incoming[TwinState.IncomingKey(incoming.SourceId, incoming.RelationshipId)] = incoming;
        });
        return S.ModelId;
    }

    public async Task RemoveIncoming(string sourceId, string relationshipId)
    {
        var key = TwinState.IncomingKey(sourceId, relationshipId);
        if (S.Exists && S.Incoming.ContainsKey(key))
        {
            await Mutate("incoming", s => s.Incoming.Remove(key));
        }
    }

    public async Task<ImportedTwin> Import(TwinImportItem item)
    {
        rules.CheckTwinId(Id);
        if (S.Exists)
        {
            throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{Id}' already exists");
        }

        var (model, properties) = await rules.CheckNewTwinModel(item.ModelId, item.PropertiesJson, checkDecommissioned: false);
        var accepted = new List<Relationship>();
        var rejected = ImmutableArray.CreateBuilder<RejectedRelationship>();
        foreach (var rel in item.Outgoing)
        {
            var problem = await rules.ImportProblem(model, rel, accepted.Count(r => r.Name == rel.Name), item.TargetModels.GetValueOrDefault(rel.TargetId));
            if (problem is null)
            {
                accepted.Add(rel);
            }
            else
            {
                rejected.Add(new RejectedRelationship(rel.Id, problem));
            }
        }

        await Mutate("import", s =>
        {
            var now = time.GetUtcNow();
            s.Exists = true;
            s.ModelId = item.ModelId;
            s.PropertiesJson = properties;
            s.CreatedAt = now;
            foreach (var rel in accepted)
            {
                s.Outgoing[rel.Id] = rel;
            }

            foreach (var incoming in item.Incoming)
            {
                s.Incoming[TwinState.IncomingKey(incoming.SourceId, incoming.RelationshipId)] = incoming;
            }

            Touch(s, now);
        }, updateIndex: false);
        return new ImportedTwin(S.ToIndexEntry(Id), rejected.ToImmutable());
    }

    private async Task Mutate(string operation, Action<TwinState> change, bool updateIndex = true)
    {
        await _gate.WaitAsync();
        try
        {
            change(S);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                await state.ReadStateAsync();
                throw;
            }

            if (updateIndex)
            {
                await index.Upsert(S.ToIndexEntry(Id));
            }
        }
        finally
        {
            _gate.Release();
        }

        metrics.Wrote(operation);
    }

    private void Require(string? ifMatch)
    {
        if (!S.Exists)
        {
            throw TwinOperationException.TwinNotFound(Id);
        }

        CheckETag(S, ifMatch);
    }

    private static void CheckETag(TwinState s, string? ifMatch)
    {
        if (ifMatch is not null && ifMatch != "*" && ifMatch != s.ETag)
        {
            throw new TwinOperationException(TwinErrorCode.PreconditionFailed, $"ETag '{ifMatch}' is stale; the twin is now at '{s.ETag}'");
        }
    }

    private void Touch(TwinState s, DateTimeOffset? now = null)
    {
        s.UpdatedAt = now ?? time.GetUtcNow();
        s.ETag = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()));
    }
}
