namespace TwinCluster.Grains.Interfaces;

/// <summary>One problem found in an uploaded model: a stable code, a message, a JSON path and the document it is in.</summary>
[GenerateSerializer, Immutable, Alias("tc.ModelIssue")]
public sealed record ModelIssue(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] string Path,
    [property: Id(3)] string? Source);
