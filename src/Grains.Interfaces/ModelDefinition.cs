namespace TwinCluster.Grains.Interfaces;

/// <summary>A stored model with its DTDL document text.</summary>
[GenerateSerializer, Immutable, Alias("tc.ModelDefinition")]
public sealed record ModelDefinition(
    [property: Id(0)] ModelInfo Info,
    [property: Id(1)] string Json);
