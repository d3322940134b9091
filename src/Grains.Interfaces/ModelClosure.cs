using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>A model's documents together with those of every model it depends on.</summary>
[GenerateSerializer, Immutable, Alias("tc.ModelClosure")]
public sealed record ModelClosure(
    [property: Id(0)] string ModelId,
    [property: Id(1)] ImmutableArray<string> Documents);
