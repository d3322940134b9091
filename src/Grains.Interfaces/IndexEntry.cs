namespace TwinCluster.Grains.Interfaces;

/// <summary>What the query index knows of a twin: its model, properties and container.</summary>
[GenerateSerializer, Immutable, Alias("tc.IndexEntry")]
public sealed record IndexEntry(
    [property: Id(0)] string TwinId,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string PropertiesJson,
    [property: Id(3)] string? ParentId);
