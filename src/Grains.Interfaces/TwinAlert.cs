namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// An alert of one component: raised when its condition passes the warning or alarm level (with hysteresis), kept
/// open, one at a time, while it stays there (escalated or eased, never repeated), cleared when it is back to normal.
/// An escalation asks for a new acknowledgement.
/// </summary>
/// <param name="TwinId">The component.</param>
/// <param name="Number">Per component, counting from 1.</param>
/// <param name="Level">Warning or Alarm now.</param>
/// <param name="PeakLevel">The worst level it reached.</param>
/// <param name="RaisedAt">When it was raised.</param>
/// <param name="ChangedAt">When its level, acknowledgement or state last changed.</param>
/// <param name="Explanation">The component's condition in words when it last changed level.</param>
/// <param name="AcknowledgedBy">Who acknowledged the current level, or null.</param>
/// <param name="AcknowledgedAt">When, or null.</param>
/// <param name="Note">The acknowledgement's note, or null.</param>
/// <param name="ClearedAt">When the component was back to normal (the alert is closed), or null while open.</param>
/// <param name="Revision">Counts the changes of this alert from 1 (raised), so its latest state is known without clocks.</param>
[GenerateSerializer, Immutable, Alias("tc.TwinAlert")]
public sealed record TwinAlert(
    [property: Id(0)] string TwinId,
    [property: Id(1)] long Number,
    [property: Id(2)] HealthStatus Level,
    [property: Id(3)] HealthStatus PeakLevel,
    [property: Id(4)] DateTimeOffset RaisedAt,
    [property: Id(5)] DateTimeOffset ChangedAt,
    [property: Id(6)] string Explanation,
    [property: Id(7)] string? AcknowledgedBy,
    [property: Id(8)] DateTimeOffset? AcknowledgedAt,
    [property: Id(9)] string? Note,
    [property: Id(10)] DateTimeOffset? ClearedAt,
    [property: Id(11)] long Revision = 1)
{
    /// <summary>Open: not yet cleared.</summary>
    public bool IsOpen => ClearedAt is null;

    /// <summary>Acknowledged at its current level.</summary>
    public bool IsAcknowledged => AcknowledgedAt is not null;
}
