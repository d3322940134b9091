using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// One page of an Azure Digital Twins query: each item is the JSON text of one result row as ADT returns it (a twin
/// for <c>SELECT *</c>, an object keyed by alias or name for projections, <c>{"COUNT": n}</c> for <c>COUNT()</c>).
/// <paramref name="ContinuationToken"/> is null on the last page.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.DigitalTwinsQueryPage")]
public sealed record DigitalTwinsQueryPage(
    [property: Id(0)] ImmutableArray<string> Items,
    [property: Id(1)] string? ContinuationToken);
