using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>A twin's desired properties: the document version and each writable property that was set, by name.</summary>
[GenerateSerializer, Immutable, Alias("tc.DesiredView")]
public sealed record DesiredView(
    [property: Id(0)] string TwinId,
    [property: Id(1)] long Version,
    [property: Id(2)] ImmutableArray<DesiredProperty> Properties,
    [property: Id(3)] bool Pushed);
