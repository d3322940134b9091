using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Client.Health;

/// <summary>One twin of a health tree: its health (as its container last heard it, or its own for the root) and its children.</summary>
/// <param name="TwinId">The twin.</param>
/// <param name="ModelId">Its model.</param>
/// <param name="Health">Its health; <see cref="HealthStatus.Unknown"/> when it never reported.</param>
/// <param name="Children">Its <c>contains</c> children, by id (empty below the depth asked for).</param>
public sealed record HealthNode(string TwinId, string ModelId, TwinHealth Health, ImmutableArray<HealthNode> Children);
