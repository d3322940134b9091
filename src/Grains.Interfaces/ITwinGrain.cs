using System.Collections.Immutable;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// One twin, keyed by its <see cref="TwinId"/>. Every write is acknowledged only after its state write succeeded and
/// the query index reflects it. Writes take an optional If-Match ETag; a stale one is refused and changes nothing.
/// Refusals are <see cref="TwinOperationException"/>.
/// </summary>
[Alias("tc.ITwinGrain")]
public interface ITwinGrain : IGrainWithStringKey, ITwinCommands
{
    /// <summary>Creates the twin; refused when it exists, the model is unknown or decommissioned, or properties are invalid.</summary>
    [Alias("Create")]
    Task<TwinSnapshot> Create(string modelId, string propertiesJson);

    /// <summary>The twin, or null when it does not exist.</summary>
    [Alias("Get")]
    Task<TwinSnapshot?> Get();

    /// <summary>
    /// The twin in the Azure Digital Twins shape as UTF-8 JSON (what <c>GET /digitaltwins/{id}</c> sends), or null when
    /// it does not exist; written once per state (ETag) and kept by the twin until it changes.
    /// </summary>
    [Alias("GetAdtDocument")]
    Task<AdtTwinDocument?> GetAdtDocument();

    /// <summary>Replaces all properties.</summary>
    [Alias("Replace")]
    Task<TwinSnapshot> Replace(string propertiesJson, string? ifMatch);

    /// <summary>Applies a JSON Patch (RFC 6902: add, replace, remove, test) to the properties, all or nothing.</summary>
    [Alias("Patch")]
    Task<TwinSnapshot> Patch(string jsonPatch, string? ifMatch);

    /// <summary>
    /// Deletes the twin. Refused while it has relationships either way unless <paramref name="cascade"/>, which removes
    /// those relationships first (the twins at their other ends stay). Returns the number of relationships removed.
    /// </summary>
    [Alias("Delete")]
    Task<int> Delete(string? ifMatch, bool cascade);

    /// <summary>Adds an outgoing relationship; the target must exist, and its incoming index is updated too.</summary>
    [Alias("AddRelationship")]
    Task<Relationship> AddRelationship(string relationshipId, string name, string targetId, string propertiesJson, string? ifMatch);

    /// <summary>
    /// Replaces the properties of an outgoing relationship (name and target stay), checked against its model; returns
    /// the relationship as stored. <paramref name="ifMatch"/> is the twin's ETag, as for the other relationship writes.
    /// </summary>
    [Alias("UpdateRelationship")]
    Task<Relationship> UpdateRelationship(string relationshipId, string propertiesJson, string? ifMatch);

    /// <summary>Removes an outgoing relationship and its entry at the target.</summary>
    [Alias("RemoveRelationship")]
    Task RemoveRelationship(string relationshipId, string? ifMatch);

    /// <summary>Outgoing relationships, optionally only those with one name.</summary>
    [Alias("GetRelationships"), Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<Relationship>> GetRelationships(string? name);

    /// <summary>Incoming relationships (held by other twins), optionally only those with one name.</summary>
    [Alias("GetIncoming")]
    Task<ImmutableArray<IncomingRelationship>> GetIncoming(string? name);

    /// <summary>The twin that contains this one, or null.</summary>
    [Alias("GetParent"), Orleans.Concurrency.AlwaysInterleave]
    Task<string?> GetParent();

    /// <summary>The ids of the twins this one contains.</summary>
    [Alias("GetChildren")]
    Task<ImmutableArray<string>> GetChildren();

    /// <summary>
    /// Records that another twin holds a relationship to this one and returns this twin's model id. Refused when this
    /// twin does not exist, or when it is already contained by another twin and the relationship is <c>contains</c>.
    /// </summary>
    [Alias("AddIncoming"), Orleans.Concurrency.AlwaysInterleave]
    Task<string> AddIncoming(IncomingRelationship incoming);

    /// <summary>
    /// Drops an outgoing relationship because its target is being deleted (the target cleans its own side); a no-op
    /// when unknown. Interleaves, so two twins deleting each other's relationships never wait on each other.
    /// </summary>
    [Alias("DropOutgoing"), Orleans.Concurrency.AlwaysInterleave]
    Task DropOutgoing(string relationshipId);

    /// <summary>Forgets an incoming relationship; a no-op when unknown.</summary>
    [Alias("RemoveIncoming"), Orleans.Concurrency.AlwaysInterleave]
    Task RemoveIncoming(string sourceId, string relationshipId);

    /// <summary>
    /// What the twin has applied of its telemetry. Before answering, a twin that was just activated, or has had no
    /// live telemetry for <c>TwinCluster:Telemetry:IdleCatchUp</c>, catches up with the telemetry log, so once
    /// telemetry pauses the answer counts every message the ingress acknowledged.
    /// </summary>
    [Alias("GetTelemetry")]
    Task<TelemetryStatus> GetTelemetry();

    /// <summary>
    /// The twin's health: its own (a monitored component) rolled up with what its <c>contains</c> children last
    /// reported. <see cref="HealthStatus.Unknown"/> until something monitored below has analysed a window.
    /// </summary>
    [Alias("GetHealth"), Orleans.Concurrency.AlwaysInterleave]
    Task<TwinHealth> GetHealth();

    /// <summary>What each <c>contains</c> child last reported, by child id; children that never reported are absent.</summary>
    [Alias("GetChildHealth"), Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<TwinHealth>> GetChildHealth();

    /// <summary>
    /// A contained twin reports its changed health; returns this twin's containment path (top down, ending with this
    /// twin). Refused with <see cref="TwinErrorCode.Conflict"/> when this twin does not contain the reporter.
    /// </summary>
    [Alias("ReportChildHealth")]
    Task<ImmutableArray<string>> ReportChildHealth(TwinHealth child);

    /// <summary>
    /// The containers of this twin from the top down, ending with this twin. <paramref name="hops"/> counts the twins
    /// below that asked (0 from outside); past 256 the path is cut there (only a containment cycle gets that deep).
    /// </summary>
    [Alias("GetPath"), Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<string>> GetPath(int hops);

    /// <summary>
    /// Acknowledges this component's open alert at its current level (a later escalation asks again). Refused with
    /// <see cref="TwinErrorCode.NotFound"/> when the twin has no open alert.
    /// </summary>
    [Alias("AcknowledgeAlert")]
    Task<TwinAlert> AcknowledgeAlert(string acknowledgedBy, string? note);

    /// <summary>
    /// A monitored component's latest analysis for display (spectra, lines, trends, waterfall); null when the twin is
    /// not monitored or has analysed no window since its activation.
    /// </summary>
    [Alias("GetConditionView"), Orleans.Concurrency.AlwaysInterleave]
    Task<ConditionView?> GetConditionView();

    /// <summary>
    /// Tells <paramref name="watcher"/> whenever this component analyses new windows, for the returned lease; calling
    /// again within it renews it (an activation that ended takes its watchers with it, so a watcher renews at half the
    /// lease). Refused with <see cref="TwinErrorCode.NotFound"/> when the twin does not exist.
    /// </summary>
    [Alias("WatchCondition"), Orleans.Concurrency.AlwaysInterleave]
    Task<TimeSpan> WatchCondition(IConditionWatcher watcher);

    /// <summary>Stops telling <paramref name="watcher"/> (nothing happens when it was not watching).</summary>
    [Alias("UnwatchCondition"), Orleans.Concurrency.AlwaysInterleave]
    Task UnwatchCondition(IConditionWatcher watcher);

    /// <summary>This component's open alert (first, if any) and its recently cleared ones, newest first.</summary>
    [Alias("GetAlerts"), Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<TwinAlert>> GetAlerts();
}
