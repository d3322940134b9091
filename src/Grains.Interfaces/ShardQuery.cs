using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>A query as one shard runs it: model ids already expanded to subtypes, the subtree already resolved.</summary>
[GenerateSerializer, Immutable, Alias("tc.ShardQuery")]
public sealed record ShardQuery(
    [property: Id(0)] ImmutableHashSet<string>? ModelIds,
    [property: Id(1)] ImmutableArray<PropertyFilter> Filters,
    [property: Id(2)] ImmutableHashSet<string>? Within,
    [property: Id(3)] string? After,
    [property: Id(4)] int Limit);
