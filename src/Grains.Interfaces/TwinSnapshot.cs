using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>A twin as stored: its model, properties (a JSON object), relationships both ways, ETag and times.</summary>
[GenerateSerializer, Immutable, Alias("tc.TwinSnapshot")]
public sealed record TwinSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string PropertiesJson,
    [property: Id(3)] ImmutableArray<Relationship> Relationships,
    [property: Id(4)] ImmutableArray<IncomingRelationship> Incoming,
    [property: Id(5)] string ETag,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);
