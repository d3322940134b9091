using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>The answer to a <see cref="HistoryTrendQuery"/>.</summary>
/// <param name="From">Start of the range (UTC).</param>
/// <param name="To">End of the range, exclusive (UTC).</param>
/// <param name="Step">Bucket width used (given, or chosen from the range).</param>
/// <param name="Series">One series per twin and name that has points, ordered by twin, then by the order of the names asked.</param>
/// <param name="Segments">Which tier answered which part of the range, in time order.</param>
[GenerateSerializer, Immutable, Alias("tc.HistoryTrend")]
public sealed record HistoryTrend(
    [property: Id(0)] DateTime From,
    [property: Id(1)] DateTime To,
    [property: Id(2)] TimeSpan Step,
    [property: Id(3)] ImmutableArray<HistorySeries> Series,
    [property: Id(4)] ImmutableArray<HistorySegment> Segments);
