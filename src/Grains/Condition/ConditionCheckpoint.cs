using System.Collections.Immutable;

namespace TwinCluster.Grains.Condition;

/// <summary>
/// What a <see cref="ComponentMonitor"/> persists so that a twin restarts where it was: the condition (which holds the
/// alert state), the alert state last reported, and the health history for remaining life. Raw sample buffers are
/// not kept: after a restart the first window is analysed once it has filled again.
/// </summary>
/// <param name="Condition">The last condition; null before the first analysis.</param>
/// <param name="ReportedAlert">The alert state last handed out by <see cref="ComponentMonitor.TakeTransition"/>.</param>
/// <param name="History">Health points, oldest first; the last one may still be filling.</param>
[GenerateSerializer, Immutable, Alias("tc.ConditionCheckpoint")]
public sealed record ConditionCheckpoint(
    [property: Id(0)] ComponentCondition? Condition,
    [property: Id(1)] AlertState ReportedAlert,
    [property: Id(2)] ImmutableArray<HealthPoint> History)
{
    /// <summary>A monitor that has analysed nothing yet.</summary>
    public static ConditionCheckpoint Empty { get; } = new(null, AlertState.Normal, []);
}
