namespace TwinCluster.Grains.Interfaces;

/// <summary>The target side's index entry of a relationship that another twin holds.</summary>
[GenerateSerializer, Immutable, Alias("tc.IncomingRelationship")]
public sealed record IncomingRelationship(
    [property: Id(0)] string RelationshipId,
    [property: Id(1)] string Name,
    [property: Id(2)] string SourceId);
