namespace TwinCluster.Grains.Condition;

/// <summary>Remaining useful life until the alarm health level, with a prediction band.</summary>
/// <param name="Seconds">Best estimate, counted from <paramref name="AsOfUtc"/>.</param>
/// <param name="LowerSeconds">Earliest plausible end of the band.</param>
/// <param name="UpperSeconds">Latest plausible end of the band.</param>
/// <param name="AsOfUtc">Signal time of the last health point the estimate was made from.</param>
[GenerateSerializer, Immutable, Alias("tc.RemainingLife")]
public sealed record RemainingLife(
    [property: Id(0)] double Seconds,
    [property: Id(1)] double LowerSeconds,
    [property: Id(2)] double UpperSeconds,
    [property: Id(3)] DateTime AsOfUtc);
