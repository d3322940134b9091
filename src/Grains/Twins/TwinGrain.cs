using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using TwinCluster.Grains.Health;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Json;
using TwinCluster.Grains.Telemetry;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// A twin. The grain orchestrates and does the I/O; plain engines decide: <see cref="TwinRules"/> checks changes,
/// <see cref="TelemetryIntake"/> orders and counts telemetry (and feeds the condition monitor), <see cref="HealthLedger"/>
/// rolls health up and keeps alerts and what must be delivered. Every change of stored state runs under one
/// grain-local gate (interleaving calls may arrive during long operations); remote calls run outside it. A change
/// of the twin runs through <see cref="Mutate"/>: apply, write state, update the index, and only then acknowledge; a
/// failed write reloads the stored state so memory never runs ahead of storage. Bulk import writes new twins' state
/// straight to storage without activating them, so an activation that holds "does not exist" reads storage again
/// before it answers (<see cref="RefreshIfAbsent"/>).
/// </summary>
public sealed partial class TwinGrain(
    [PersistentState(TwinGrain.StateName, StorageNames.Twins)] IPersistentState<TwinState> state,
    [PersistentState(TwinGrain.TelemetryStateName, StorageNames.Twins)] IPersistentState<TelemetryCheckpoint> telemetry,
    [PersistentState(TwinGrain.HealthStateName, StorageNames.Twins)] IPersistentState<HealthState> health,
    [PersistentState(TwinGrain.DesiredStateName, StorageNames.Twins)] IPersistentState<TwinCluster.Grains.Commands.DesiredState> desired,
    TwinServices services,
    ILogger<TwinGrain> logger) : Grain, ITwinGrain
{
    /// <summary>The state name under which twin state is stored (the bulk importer writes it too).</summary>
    public const string StateName = "twin";

    /// <summary>The state name of the twin's telemetry checkpoint.</summary>
    public const string TelemetryStateName = "telemetry";

    /// <summary>The state name of the twin's health, children's reports and alerts.</summary>
    public const string HealthStateName = "health";

    /// <summary>The state name of the twin's desired properties and their acknowledgements.</summary>
    public const string DesiredStateName = "desired";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _deleting;
    private TelemetryIntake? _intake;
    private AdtTwinDocument? _adtDocument;
    private HealthLedger? _ledger;

    private string Id => this.GetPrimaryKeyString();

    private TwinState S => state.State;

    private TelemetryIntake Intake => _intake ??= new TelemetryIntake(Id, telemetry.State, services.History, services.Telemetry,
        services.TelemetryMetrics, services.Time, logger) { Applied = record => services.HistorySink.TelemetryApplied(Id, record) };

    private HealthLedger Ledger => _ledger ??= new HealthLedger(Id, health.State, services.Health, services.Metrics, logger);

    /// <summary>The severity-zone kind for a model, from its id and its bases; null when it is not a monitored component.</summary>
    public static Analytics.ComponentKind? MonitoredKind(string modelId, IEnumerable<string> bases) => MonitorFactory.MonitoredKind(modelId, bases);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        services.Metrics.Activated();
        // Heals the index after a write (or delete) whose index update failed: compare, repair only on mismatch.
        var indexed = await services.Index.ShardFor(Id).Find(Id);
        if (S.Exists && indexed != S.ToIndexEntry(Id))
        {
            await services.Index.Upsert(S.ToIndexEntry(Id));
        }
        else if (!S.Exists && indexed is not null)
        {
            await services.Index.Remove(Id);
        }

        ResumeHealthDelivery();
    }

    public async Task<TwinSnapshot> Create(string modelId, string propertiesJson)
    {
        services.Rules.CheckTwinId(Id);
        if (S.Exists)
        {
            throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{Id}' already exists");
        }

        var (_, properties) = await services.Rules.CheckNewTwinModel(modelId, propertiesJson, checkDecommissioned: true);
        await Mutate("create", s => TwinEdits.Create(s, Id, modelId, properties, services.Time.GetUtcNow()));
        return S.ToSnapshot(Id);
    }

    public async Task<TwinSnapshot?> Get()
    {
        await RefreshIfAbsent();
        return S.Exists ? S.ToSnapshot(Id) : null;
    }

    public async Task<AdtTwinDocument?> GetAdtDocument()
    {
        await RefreshIfAbsent();
        if (!S.Exists)
        {
            return null;
        }

        // Every change of what the document shows (model, properties, their times, the update time) takes a new ETag
        // (TwinEdits.Touch), so a document of the current ETag is the current one.
        if (_adtDocument is not { } document || document.ETag != S.ETag)
        {
            document = new AdtTwinDocument(S.ETag, Adt.AdtJson.TwinUtf8(S.ToSnapshot(Id)));
            _adtDocument = document;
        }

        return document;
    }

    public async Task<TwinSnapshot> Replace(string propertiesJson, string? ifMatch)
    {
        await Require(ifMatch);
        var text = await services.Rules.CheckProperties(S.ModelId, propertiesJson);
        var previous = S.PropertiesJson;
        await Mutate("replace", s => previous = TwinEdits.SetProperties(s, ifMatch, text, services.Time.GetUtcNow()));
        Monitors.Renew();
        await OnOperatorWrite(previous, text);
        return S.ToSnapshot(Id);
    }

    public Task<TwinSnapshot> Patch(string jsonPatch, string? ifMatch) => PatchCore(jsonPatch, ifMatch, operatorWrite: true);

    // An operator's patch makes desired values of the writable properties it changes; a device's report does not.
    private async Task<TwinSnapshot> PatchCore(string jsonPatch, string? ifMatch, bool operatorWrite)
    {
        await Require(ifMatch);
        var before = S.ETag;
        // Source times ride in the patch as ADT's /$metadata/{property}/sourceTime operations.
        var (propertyPatch, sourceTimes) = PropertyTimes.TakeSourceTimes(jsonPatch);
        var patched = JsonPatch.Apply(JsonText.ParseObject(S.PropertiesJson, "stored properties"), propertyPatch);
        var text = await services.Rules.CheckProperties(S.ModelId, JsonText.Write(patched));
        // The patch was computed from the state as of `before`; a write that slipped in since makes it stale.
        var previous = S.PropertiesJson;
        await Mutate("patch", s => previous = TwinEdits.SetProperties(s, before, text, services.Time.GetUtcNow(), sourceTimes));
        Monitors.Renew();
        if (operatorWrite)
        {
            await OnOperatorWrite(previous, text);
        }

        return S.ToSnapshot(Id);
    }

    public async Task<int> Delete(string? ifMatch, bool cascade)
    {
        await Require(ifMatch);
        _deleting = true;
        try
        {
            return await DeleteCore(ifMatch, cascade);
        }
        finally
        {
            _deleting = false;
        }
    }

    private async Task<int> DeleteCore(string? ifMatch, bool cascade)
    {
        var relationships = TwinEdits.CheckDelete(S, Id, cascade);

        foreach (var rel in S.Outgoing.Values.ToList())
        {
            // A twin being deleted at the same time may already have dropped it (DropOutgoing interleaves).
            if (S.Outgoing.ContainsKey(rel.Id))
            {
                await RemoveRelationship(rel.Id, null);
            }
        }

        foreach (var incoming in S.Incoming.Values.ToList())
        {
            // Interleaving call: never waits behind the source's own work, even if it is deleting us too.
            await GrainFactory.GetGrain<ITwinGrain>(incoming.SourceId).DropOutgoing(incoming.RelationshipId);
            await RemoveIncoming(incoming.SourceId, incoming.RelationshipId);
        }

        // The ETag was checked on entry; removing our own relationships above changed it, nothing else could.
        await _gate.WaitAsync();
        try
        {
            TwinEdits.CheckDeletable(S, Id);
            var before = S.ToSnapshot(Id);
            await state.ClearStateAsync();
            services.HistorySink.TwinChanged(Id, "delete", before, null, services.Time.GetUtcNow());
            S.Clear();
            await services.Index.Remove(Id);
            // A twin created again under this id starts its telemetry afresh (its device may count from 1 again).
            await ForgetTelemetry();
            await ForgetHealthLocked();
            await desired.ClearStateAsync();
            _desiredLedger = null;
        }
        finally
        {
            _gate.Release();
        }

        services.Metrics.Wrote("delete");
        DeactivateOnIdle();
        return relationships;
    }

    public async Task<Relationship> AddRelationship(string relationshipId, string name, string targetId, string propertiesJson, string? ifMatch)
    {
        await Require(ifMatch);
        var relationship = await services.Rules.CheckNewRelationship(S, Id, relationshipId, name, targetId, propertiesJson);
        var target = GrainFactory.GetGrain<ITwinGrain>(targetId);
        try
        {
            var targetModel = await target.AddIncoming(new IncomingRelationship(relationshipId, name, Id));
            await services.Rules.CheckTarget(S.ModelId, name, targetModel);
            await Mutate("relate", s => TwinEdits.AddOutgoing(s, Id, relationship, ifMatch, services.Time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is not IndexLagException)
        {
            // Nothing of ours was written: take back the target's half (idempotent, also after a timed-out add).
            await target.RemoveIncoming(Id, relationshipId);
            throw;
        }

        if (name == RelationshipNames.Contains)
        {
            // The check before the write cannot see a containment added the other way at the same moment; the later
            // of two such writes sees the cycle here and takes its own relationship back.
            try
            {
                await services.Rules.CheckNoContainmentCycle(Id, targetId);
            }
            catch (TwinOperationException)
            {
                await RemoveRelationship(relationshipId, null);
                throw;
            }

            await AdoptChildHealth(targetId);
        }

        return relationship;
    }

    public async Task RemoveRelationship(string relationshipId, string? ifMatch)
    {
        await Require(ifMatch);
        var relationship = TwinEdits.Outgoing(S, Id, relationshipId);
        await Mutate("unrelate", s => TwinEdits.RemoveOutgoing(s, relationshipId, ifMatch, services.Time.GetUtcNow()));
        // From here the removal is stored; failures at the target only leave a stale incoming entry to log.
        try
        {
            await GrainFactory.GetGrain<ITwinGrain>(relationship.TargetId).RemoveIncoming(Id, relationshipId);
        }
        catch (Exception ex)
        {
            // The outgoing side is the truth and is already stored; report success, log the stale incoming entry.
            logger.LogWarning(ex, "Twin {TwinId}: target {Target} did not drop incoming {Relationship}", Id, relationship.TargetId, relationshipId);
        }

        if (relationship.Name == RelationshipNames.Contains)
        {
            await ForgetChildHealth(relationship.TargetId);
        }
    }

    public async Task<ImmutableArray<Relationship>> GetRelationships(string? name)
    {
        await RefreshIfAbsent();
        return TwinEdits.Relationships(S, name);
    }

    public async Task<ImmutableArray<IncomingRelationship>> GetIncoming(string? name)
    {
        await RefreshIfAbsent();
        return TwinEdits.Incoming(S, name);
    }

    public async Task<string?> GetParent()
    {
        await RefreshIfAbsent();
        return S.Exists ? S.ParentId : null;
    }

    public async Task<ImmutableArray<string>> GetChildren()
    {
        await RefreshIfAbsent();
        return TwinEdits.Children(S);
    }

    public async Task<string> AddIncoming(IncomingRelationship incoming)
    {
        await RefreshIfAbsent();
        if (TwinEdits.CheckIncoming(S, Id, incoming, _deleting) is { } recorded)
        {
            await DropStaleContainer(recorded);
        }

        await Mutate("incoming", s => TwinEdits.AddIncoming(s, Id, incoming));
        if (incoming.Name == RelationshipNames.Contains)
        {
            OnContainerAdded();
        }
        return S.ModelId;
    }

    public async Task DropOutgoing(string relationshipId)
    {
        await RefreshIfAbsent();
        if (S.Exists && S.Outgoing.TryGetValue(relationshipId, out var dropped))
        {
            await Mutate("unrelate", s => TwinEdits.RemoveOutgoing(s, relationshipId, null, services.Time.GetUtcNow()));
            if (dropped.Name == RelationshipNames.Contains)
            {
                await ForgetChildHealth(dropped.TargetId);
            }
        }
    }

    /// <summary>
    /// The outgoing side is the truth: an incoming <c>contains</c> whose source no longer holds it (left when a
    /// cleanup call failed after the source's removal was stored) is dropped instead of blocking a new container.
    /// </summary>
    private async Task DropStaleContainer(string parentId)
    {
        var held = await GrainFactory.GetGrain<ITwinGrain>(parentId).GetRelationships(RelationshipNames.Contains);
        foreach (var stale in TwinEdits.StaleContainerEntries(S, Id, parentId, held))
        {
            logger.LogWarning("Twin {TwinId}: dropping stale container entry {Relationship} from {Parent}", Id, stale.RelationshipId, parentId);
            await RemoveIncoming(parentId, stale.RelationshipId);
        }
    }

    public async Task RemoveIncoming(string sourceId, string relationshipId)
    {
        var key = TwinState.IncomingKey(sourceId, relationshipId);
        await RefreshIfAbsent();
        if (S.Exists && S.Incoming.ContainsKey(key))
        {
            await Mutate("incoming", s => s.Incoming.Remove(key));
            Path.Reset();
        }
    }

    private async Task Mutate(string operation, Action<TwinState> change, bool updateIndex = true)
    {
        await _gate.WaitAsync();
        try
        {
            if (!S.Exists && operation != "create")
            {
                // Deleted while this operation waited for the gate.
                throw TwinOperationException.TwinNotFound(Id);
            }

            var before = S.Exists ? S.ToSnapshot(Id) : null;
            change(S);
            try
            {
                await state.WriteStateAsync();
            }
            catch (InconsistentStateException)
            {
                // Another writer got there first (the bulk importer creating this twin, or a second activation).
                await Reload();
                throw TwinEdits.WriteConflict(S, Id, operation);
            }
            catch
            {
                await Reload();
                throw;
            }

            services.HistorySink.TwinChanged(Id, operation, before, S.ToSnapshot(Id), services.Time.GetUtcNow());
            if (updateIndex)
            {
                await UpdateIndex();
            }
        }
        finally
        {
            _gate.Release();
        }

        services.Metrics.Wrote(operation);
    }

    /// <summary>The state write is committed: the index must follow (<see cref="IndexRetry"/>), or a fresh activation re-indexes.</summary>
    private async Task UpdateIndex()
    {
        try
        {
            await IndexRetry.RunAsync(Id, () => services.Index.Upsert(S.ToIndexEntry(Id)), logger);
        }
        catch (IndexLagException)
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Back to what storage holds after a failed write; if even that fails, let a fresh activation load it.</summary>
    private async Task Reload()
    {
        try
        {
            await state.ReadStateAsync();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Twin {TwinId}: could not reload state after a failed write; deactivating", Id);
            DeactivateOnIdle();
        }
    }

    /// <summary>A twin this activation believes absent may have been bulk-imported since: read storage again.</summary>
    private async Task RefreshIfAbsent()
    {
        if (S.Exists)
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            if (!S.Exists)
            {
                await state.ReadStateAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task Require(string? ifMatch)
    {
        await RefreshIfAbsent();
        TwinEdits.Require(S, Id, ifMatch);
    }
}
