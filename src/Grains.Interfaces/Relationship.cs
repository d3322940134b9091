namespace TwinCluster.Grains.Interfaces;

/// <summary>An outgoing relationship of a twin. <paramref name="PropertiesJson"/> is a JSON object.</summary>
[GenerateSerializer, Immutable, Alias("tc.Relationship")]
public sealed record Relationship(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string SourceId,
    [property: Id(3)] string TargetId,
    [property: Id(4)] string PropertiesJson);
