using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>The trend of one feature or channel of one twin: buckets in time order, empty buckets left out.</summary>
[GenerateSerializer, Immutable, Alias("tc.HistorySeries")]
public sealed record HistorySeries(
    [property: Id(0)] string TwinId,
    [property: Id(1)] string Name,
    [property: Id(2)] ImmutableArray<HistoryBucket> Buckets);
