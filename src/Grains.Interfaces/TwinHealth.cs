using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The health of a twin: its own, if it is a monitored component, rolled up with what its <c>contains</c> children
/// last reported (worst-of by default). <see cref="SourceId"/> names the component the status comes from, and
/// <see cref="Summary"/> says why, in that component's words.
/// </summary>
/// <param name="TwinId">The twin this health belongs to.</param>
/// <param name="ModelId">Its model.</param>
/// <param name="Status">Worst status of the twin and everything it contains (weight above zero).</param>
/// <param name="Index">Health index, 1 healthy … 0 failed; null while <see cref="HealthStatus.Unknown"/>.</param>
/// <param name="SourceId">The component that decides the status (this twin itself for a component); null when unknown.</param>
/// <param name="SourceLabel">What that component is, from its model's display name (e.g. "Main bearing").</param>
/// <param name="SourcePath">Twins from this one's child down to the source; empty when the source is this twin.</param>
/// <param name="Summary">The source's condition in words, e.g. "outer-race defect (confidence 0.95), BPFO line +14 dB …".</param>
/// <param name="Fault">The source's diagnosis (e.g. OuterRace), null when unknown.</param>
/// <param name="RulSeconds">The source's remaining life to its alarm level, when it has a trend.</param>
/// <param name="RulBandSeconds">Half the width of that estimate's band.</param>
/// <param name="Monitored">Monitored components reporting, this twin included.</param>
/// <param name="Alarms">Of those, how many are in alarm.</param>
/// <param name="Warnings">Of those, how many are in warning.</param>
/// <param name="Version">Increases every time this twin reports a changed health; parents ignore older reports.</param>
/// <param name="UpdatedAt">When this health was computed.</param>
/// <param name="OpenAlert">For a component: its open alert, if any.</param>
/// <param name="Since">When the twin was created: a twin deleted and created again reports afresh (its versions restart).</param>
[GenerateSerializer, Immutable, Alias("tc.TwinHealth")]
public sealed record TwinHealth(
    [property: Id(0)] string TwinId,
    [property: Id(1)] string ModelId,
    [property: Id(2)] HealthStatus Status,
    [property: Id(3)] double? Index,
    [property: Id(4)] string? SourceId,
    [property: Id(5)] string? SourceLabel,
    [property: Id(6)] ImmutableArray<string> SourcePath,
    [property: Id(7)] string? Summary,
    [property: Id(8)] string? Fault,
    [property: Id(9)] double? RulSeconds,
    [property: Id(10)] double? RulBandSeconds,
    [property: Id(11)] int Monitored,
    [property: Id(12)] int Alarms,
    [property: Id(13)] int Warnings,
    [property: Id(14)] long Version,
    [property: Id(15)] DateTimeOffset UpdatedAt,
    [property: Id(16)] TwinAlert? OpenAlert = null,
    [property: Id(17)] DateTimeOffset Since = default)
{
    /// <summary>The health of a twin nothing has reported to.</summary>
    public static TwinHealth Unknown(string twinId, string modelId) =>
        new(twinId, modelId, HealthStatus.Unknown, null, null, null, [], null, null, null, null, 0, 0, 0, 0, default);

    /// <summary>
    /// One paragraph for a person, e.g. "wt-07 Alarm: Main bearing wt-07-mb: outer-race defect (confidence 0.95), BPFO
    /// line +14 dB with 3 harmonics, velocity 4.1 mm/s, zone C, health 0.48, RUL 19 days ±6; 1 alarm, 0 warnings
    /// among 7 monitored components".
    /// </summary>
    public string Explain()
    {
        var ci = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(ci, $"{TwinId} {Status}: ");
        if (Status == HealthStatus.Unknown || SourceId is null)
        {
            text.Append("no monitored component has reported yet");
            return text.ToString();
        }

        if (Status == HealthStatus.Normal && SourceId != TwinId)
        {
            text.Append(ci, $"all {Monitored} monitored component{(Monitored == 1 ? "" : "s")} normal; lowest health {Index:0.00} at {Label()}");
            return text.ToString();
        }

        text.Append(Label()).Append(": ").Append(Summary);
        if (SourceId != TwinId || Monitored > 1)
        {
            text.Append(ci, $"; {Alarms} alarm{(Alarms == 1 ? "" : "s")}, {Warnings} warning{(Warnings == 1 ? "" : "s")} among {Monitored} monitored component{(Monitored == 1 ? "" : "s")}");
        }

        return text.ToString();
    }

    private string Label()
    {
        var where = SourceId == TwinId ? "" : " " + SourceId;
        return (SourceLabel ?? "component") + where;
    }
}
