using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>What a twin's health has to send: its report to its container, alert states to the registry, change events.</summary>
/// <param name="ToContainer">The report the container has not accepted yet, or null.</param>
/// <param name="ToRegistry">Alert states the registry has not accepted yet, oldest first.</param>
/// <param name="Changes">Change events to publish (best effort: not kept when publishing fails).</param>
public sealed record HealthDelivery(TwinHealth? ToContainer, IReadOnlyList<TwinAlert> ToRegistry, IReadOnlyList<TwinChange> Changes);
