using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Storage;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Twins;

namespace TwinCluster.Grains.Import;

/// <summary>
/// Bulk import worker. A twin is new, so nothing needs its activation yet: the worker runs the same checks a twin's
/// Create runs (<see cref="TwinRules"/>), writes the twin's state straight to the twins' grain storage with an
/// optimistic "must not exist" write, and updates the index with one call per shard for the whole batch. Activating
/// 100,000 grains only to write their first state cost most of an import's time. A twin activation that believes it
/// does not exist reads storage again before answering, so imported twins are seen at once.
/// </summary>
// Several batches per silo at once: a batch spends most of its time waiting on storage writes.
[StatelessWorker(8)]
public sealed class ImportGrain(IndexRouter index, TwinRules rules, TwinMetrics metrics, TimeProvider time, ImportThrottle throttle) : Grain, IImportGrain
{
    private IGrainStorage? _storage;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Twins);
        return Task.CompletedTask;
    }

    /// <summary>The largest batch one call may carry.</summary>
    public const int MaxBatch = 5_000;

    public async Task<ImmutableArray<ImportItemResult>> ImportTwins(ImmutableArray<TwinImportItem> items)
    {
        if (items.Length > MaxBatch)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"an import batch holds {items.Length:N0} twins; at most {MaxBatch:N0} are accepted per call");
        }

        var retired = (await GrainFactory.GetModelRepository().GetUnavailable([.. items.Select(i => i.ModelId).Distinct(StringComparer.Ordinal)]))
            .ToHashSet(StringComparer.Ordinal);
        var outcomes = await Task.WhenAll(items.Select(item => ImportOne(item, retired)));
        var created = outcomes.Where(o => o.Entry is not null).Select(o => o.Entry!).ToList();
        await index.UpsertMany(created);
        metrics.Wrote("import", created.Count);
        return [.. outcomes.Select(o => o.Result)];
    }

    private async Task<(ImportItemResult Result, IndexEntry? Entry)> ImportOne(TwinImportItem item, HashSet<string> retired)
    {
        try
        {
            rules.CheckTwinId(item.Id);
            if (retired.Contains(item.ModelId))
            {
                throw new TwinOperationException(TwinErrorCode.Conflict, $"model '{item.ModelId}' is decommissioned or not in the model repository; no new twins of it may be created");
            }

            var (model, properties) = await rules.CheckNewTwinModel(item.ModelId, item.PropertiesJson, checkDecommissioned: false);
            var state = new TwinState { Exists = true, ModelId = item.ModelId, PropertiesJson = properties, CreatedAt = time.GetUtcNow() };
            state.UpdatedAt = state.CreatedAt;
            state.ETag = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()));
            var rejected = ImmutableArray.CreateBuilder<RejectedRelationship>();
            var perName = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var rel in item.Outgoing)
            {
                var existing = perName.GetValueOrDefault(rel.Name);
                if (await rules.ImportProblem(model, rel, existing, item.TargetModels.GetValueOrDefault(rel.TargetId)) is { } problem)
                {
                    rejected.Add(new RejectedRelationship(rel.Id, problem));
                }
                else
                {
                    state.Outgoing[rel.Id] = rel;
                    perName[rel.Name] = existing + 1;
                }
            }

            foreach (var incoming in item.Incoming)
            {
                state.Incoming[TwinState.IncomingKey(incoming.SourceId, incoming.RelationshipId)] = incoming;
            }

            await throttle.EnterAsync();
            try
            {
                await WriteNew(GrainFactory.GetGrain<ITwinGrain>(item.Id).GetGrainId(), item.Id, state);
            }
            finally
            {
                throttle.Exit();
            }

            return (new ImportItemResult(item.Line, item.Id, null, rejected.ToImmutable()), state.ToIndexEntry(item.Id));
        }
        catch (TwinOperationException ex)
        {
            var detail = ex.Details.IsDefaultOrEmpty ? "" : " [" + string.Join("; ", ex.Details) + "]";
            return (new ImportItemResult(item.Line, item.Id, $"{ex.Code}: {ex.Message}{detail}", []), null);
        }
        catch (Exception ex)
        {
            // A storage fault fails this twin only; the others of the batch still go in and get indexed.
            return (new ImportItemResult(item.Line, item.Id, $"storage error: {ex.Message}", []), null);
        }
    }

    /// <summary>Writes the state only if no twin is stored under the id; a deleted twin's leftover record is reused.</summary>
    private async Task WriteNew(GrainId grainId, string id, TwinState state)
    {
        var storage = _storage ?? throw new InvalidOperationException("import worker not activated");
        var fresh = new GrainState<TwinState>(state);
        try
        {
            await storage.WriteStateAsync(TwinGrain.StateName, grainId, fresh);
            return;
        }
        catch (InconsistentStateException)
        {
            // Something is stored under this id: a twin, or the empty record a delete can leave behind.
        }

        var stored = new GrainState<TwinState>(new TwinState());
        await storage.ReadStateAsync(TwinGrain.StateName, grainId, stored);
        if (stored.State is { Exists: true })
        {
            throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{id}' already exists");
        }

        try
        {
            await storage.WriteStateAsync(TwinGrain.StateName, grainId, new GrainState<TwinState>(state, stored.ETag));
        }
        catch (InconsistentStateException)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"twin '{id}' was created concurrently by another writer");
        }
    }
}
