using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>The calls a twin's health delivery makes; the grain makes them.</summary>
public interface IHealthOutlets
{
    /// <summary>The twin's container now, or null.</summary>
    string? ContainerId { get; }

    /// <summary>Reports the twin's health to its container (which answers with the twin's path).</summary>
    Task ReportToContainerAsync(string containerId, TwinHealth health);

    /// <summary>Puts an alert's state in the alert registry.</summary>
    Task PutAlertAsync(TwinAlert alert);

    /// <summary>Publishes change events on the change stream.</summary>
    Task PublishAsync(IReadOnlyList<TwinChange> changes);
}
