using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>One page of results; <paramref name="ContinuationToken"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("tc.TwinQueryPage")]
public sealed record TwinQueryPage(
    [property: Id(0)] ImmutableArray<IndexEntry> Items,
    [property: Id(1)] string? ContinuationToken);
