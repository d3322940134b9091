using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>What a twin's import stored: its index entry and the outgoing relationships it refused.</summary>
[GenerateSerializer, Immutable, Alias("tc.ImportedTwin")]
public sealed record ImportedTwin(
    [property: Id(0)] IndexEntry Entry,
    [property: Id(1)] ImmutableArray<RejectedRelationship> Rejected);
