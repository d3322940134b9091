using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A trend: named features or channels (e.g. <c>velocityRms</c>, <c>health</c>, <c>temperature</c>) between two times,
/// for one twin (<paramref name="TwinId"/>) or for every twin under <paramref name="SubtreeId"/> (through
/// <c>contains</c>) and of <paramref name="ModelId"/> (with its subtypes); either of the last two may be given alone.
/// </summary>
/// <param name="TwinId">One twin; excludes the subtree and model.</param>
/// <param name="SubtreeId">All twins under this twin.</param>
/// <param name="ModelId">All twins of this model (or extending it).</param>
/// <param name="Names">Feature or channel names, at least one.</param>
/// <param name="From">Start (inclusive).</param>
/// <param name="To">End (exclusive); must be after <paramref name="From"/>.</param>
/// <param name="Step">Bucket width; null chooses one from the range (about <see cref="TargetBuckets"/> buckets).</param>
[GenerateSerializer, Immutable, Alias("tc.HistoryTrendQuery")]
public sealed record HistoryTrendQuery(
    [property: Id(0)] string? TwinId,
    [property: Id(1)] string? SubtreeId,
    [property: Id(2)] string? ModelId,
    [property: Id(3)] ImmutableArray<string> Names,
    [property: Id(4)] DateTimeOffset From,
    [property: Id(5)] DateTimeOffset To,
    [property: Id(6)] TimeSpan? Step)
{
    /// <summary>The most buckets a series may have: a step finer than range / this is refused.</summary>
    public const int MaxBuckets = 10_000;

    /// <summary>About how many buckets a chosen step gives.</summary>
    public const int TargetBuckets = 500;

    /// <summary>The most twins one trend may cover.</summary>
    public const int MaxTwins = 10_000;
}
