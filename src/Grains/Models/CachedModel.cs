using TwinCluster.Modeling;

namespace TwinCluster.Grains.Models;

/// <summary>A parsed model with the set it was parsed in (for resolving its schemas and bases).</summary>
public sealed record CachedModel(InterfaceModel Interface, ModelSet Set);
