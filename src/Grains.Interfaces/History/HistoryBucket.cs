namespace TwinCluster.Grains.Interfaces;

/// <summary>One step of a trend: the points of one series whose time falls in [Start, Start + step).</summary>
/// <param name="Start">Start of the bucket (UTC, aligned to the step from the Unix epoch).</param>
/// <param name="Count">Points in the bucket.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Mean">Mean value.</param>
/// <param name="Last">The latest value.</param>
/// <param name="Tier">The tier the bucket was read from.</param>
[GenerateSerializer, Immutable, Alias("tc.HistoryBucket")]
public sealed record HistoryBucket(
    [property: Id(0)] DateTime Start,
    [property: Id(1)] long Count,
    [property: Id(2)] double Min,
    [property: Id(3)] double Max,
    [property: Id(4)] double Mean,
    [property: Id(5)] double Last,
    [property: Id(6)] HistoryTier Tier);
