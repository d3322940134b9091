using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>
/// The persisted health side of a twin: what it last reported, what its children last reported, its alerts, and what
/// still has to reach its container and the alert registry. Written only when something changed.
/// </summary>
[GenerateSerializer, Alias("tc.HealthState")]
public sealed class HealthState
{
    /// <summary>The health last reported (to the container and on the change stream); null before the first.</summary>
    [Id(0)] public TwinHealth? Reported { get; set; }

    /// <summary>Each child's latest report, by child id.</summary>
    [Id(1)] public Dictionary<string, TwinHealth> Children { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The open alert of a component, or null.</summary>
    [Id(2)] public TwinAlert? OpenAlert { get; set; }

    /// <summary>Cleared alerts, newest first, bounded by <see cref="HealthOptions.ClearedAlertsKept"/>.</summary>
    [Id(3)] public List<TwinAlert> Cleared { get; set; } = [];

    /// <summary>The number of the last alert raised.</summary>
    [Id(4)] public long LastAlertNumber { get; set; }

    /// <summary>True while <see cref="Reported"/> has not been accepted by the container.</summary>
    [Id(5)] public bool ParentPending { get; set; }

    /// <summary>Alert states not yet accepted by the alert registry, oldest first.</summary>
    [Id(6)] public List<TwinAlert> RegistryOutbox { get; set; } = [];
}
