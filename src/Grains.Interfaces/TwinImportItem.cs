using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// One twin of a bulk import with the relationships it holds and those it is the target of.
/// <paramref name="TargetModels"/> gives the model of each outgoing relationship's target, for the model checks.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.TwinImportItem")]
public sealed record TwinImportItem(
    [property: Id(0)] long Line,
    [property: Id(1)] string Id,
    [property: Id(2)] string ModelId,
    [property: Id(3)] string PropertiesJson,
    [property: Id(4)] ImmutableArray<Relationship> Outgoing,
    [property: Id(5)] ImmutableArray<IncomingRelationship> Incoming,
    [property: Id(6)] ImmutableDictionary<string, string> TargetModels);
