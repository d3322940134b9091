using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The outcome of one import item: <paramref name="Error"/> is null when the twin went in; even then some of its
/// outgoing relationships may have been refused (<paramref name="RejectedRelationships"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.ImportItemResult")]
public sealed record ImportItemResult(
    [property: Id(0)] long Line,
    [property: Id(1)] string Id,
    [property: Id(2)] string? Error,
    [property: Id(3)] ImmutableArray<RejectedRelationship> RejectedRelationships);
