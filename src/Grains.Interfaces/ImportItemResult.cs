namespace TwinCluster.Grains.Interfaces;

/// <summary>The outcome of one import item: <paramref name="Error"/> is null when it went in.</summary>
[GenerateSerializer, Immutable, Alias("tc.ImportItemResult")]
public sealed record ImportItemResult(
    [property: Id(0)] long Line,
    [property: Id(1)] string Id,
    [property: Id(2)] string? Error);
