using System.Text.Json.Serialization;

namespace TwinCluster.Client.Analysis;

/// <summary>The result of <c>twin rul</c> as written with --json (times in seconds from the first capture).</summary>
/// <param name="RulSeconds">Best estimate of the remaining useful life after the last capture.</param>
/// <param name="LowerSeconds">Lower end of the band.</param>
/// <param name="UpperSeconds">Upper end of the band.</param>
/// <param name="HealthIndex">Health index at the end of the series (1 healthy).</param>
/// <param name="ThresholdCrossingSeconds">When the alarm threshold is predicted to be crossed.</param>
/// <param name="Captures">Captures read.</param>
/// <param name="Method">trend, no-trend, crossed (the series' own health trend) or fleet (learned from run-to-failure histories, --fleet).</param>
/// <param name="HealthSeries">Health index per capture, in file order.</param>
/// <param name="State">no-degradation-seen, degrading or failed.</param>
/// <param name="BandSeconds">Width of the band, upperSeconds − lowerSeconds.</param>
/// <param name="FleetRuns">Run-to-failure histories learned from (0 without --fleet).</param>
public sealed record RulReport(
    [property: JsonPropertyName("rulSeconds")] double RulSeconds,
    [property: JsonPropertyName("lowerSeconds")] double LowerSeconds,
    [property: JsonPropertyName("upperSeconds")] double UpperSeconds,
    [property: JsonPropertyName("healthIndex")] double HealthIndex,
    [property: JsonPropertyName("thresholdCrossingSeconds")] double ThresholdCrossingSeconds,
    [property: JsonPropertyName("captures")] int Captures,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("healthSeries")] IReadOnlyList<double> HealthSeries,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("bandSeconds")] double BandSeconds,
    [property: JsonPropertyName("fleetRuns")] int FleetRuns);
