namespace TwinCluster.Grains.Interfaces;

/// <summary>A relationship of an imported twin that was not stored, and why.</summary>
[GenerateSerializer, Immutable, Alias("tc.RejectedRelationship")]
public sealed record RejectedRelationship(
    [property: Id(0)] string RelationshipId,
    [property: Id(1)] string Reason);
