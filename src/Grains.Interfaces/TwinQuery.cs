using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A twin query; every part is optional and they combine with AND. <paramref name="AncestorId"/> limits to the subtree
/// under that twin (through <c>contains</c>, the ancestor itself excluded). Results are ordered by twin id;
/// <paramref name="ContinuationToken"/> comes from the previous page.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.TwinQuery")]
public sealed record TwinQuery(
    [property: Id(0)] string? ModelId,
    [property: Id(1)] bool IncludeSubtypes,
    [property: Id(2)] ImmutableArray<PropertyFilter> Filters,
    [property: Id(3)] string? AncestorId,
    [property: Id(4)] int PageSize,
    [property: Id(5)] string? ContinuationToken)
{
    /// <summary>The largest page a query returns.</summary>
    public const int MaxPageSize = 10_000;
}
