using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A twin as stored: its model, properties (a JSON object), relationships both ways, ETag and times.
/// <see cref="PropertyTimes"/> holds per-property write times keyed by property name, and <c>component/property</c> for
/// the members of an object-valued property or component; null or missing keys for twins written before they existed
/// (fall back to <see cref="UpdatedAt"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.TwinSnapshot")]
public sealed record TwinSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string PropertiesJson,
    [property: Id(3)] ImmutableArray<Relationship> Relationships,
    [property: Id(4)] ImmutableArray<IncomingRelationship> Incoming,
    [property: Id(5)] string ETag,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] ImmutableDictionary<string, PropertyTime>? PropertyTimes = null);
