using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.History;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Telemetry;

/// <summary>
/// Gives a component twin's <see cref="TelemetryIntake"/> its condition monitor, built once from the twin's model
/// and properties (<see cref="MonitorFactory"/>); concurrent (interleaved) callers wait for the same build. A model
/// that is not a monitored component, or properties it refuses, mean no monitoring (logged once); any other failure
/// is tried again by the next caller. <see cref="Renew"/> after the properties change builds it again, carrying over
/// the condition, alert state and health history.
/// </summary>
public sealed class MonitorLoader(
    string twinId,
    TelemetryIntake intake,
    Func<string, string, Task<ComponentMonitor?>> create,
    ITwinHistorySink history,
    ILogger logger)
{
    private bool _checked;
    private Task? _build;

    /// <summary>Builds the monitor of a twin of <paramref name="modelId"/> with <paramref name="propertiesJson"/> unless that was done.</summary>
    public Task EnsureAsync(string modelId, string propertiesJson)
    {
        if (_checked)
        {
            return Task.CompletedTask;
        }

        if (_build is { IsCompleted: true })
        {
            _build = null;   // a finished build that failed: try again
        }

        return _build ??= BuildAsync(modelId, propertiesJson);
    }

    /// <summary>
    /// Properties changed (bearing geometry, sample rate): the next record builds the monitor again from them,
    /// carrying over the condition, alert state and health history (the sample buffers refill).
    /// </summary>
    public void Renew()
    {
        intake.Detach();
        Forget();
    }

    /// <summary>Forgets that the monitor was built (the twin was deleted, or its properties changed).</summary>
    public void Forget()
    {
        _checked = false;
        _build = null;
    }

    private async Task BuildAsync(string modelId, string propertiesJson)
    {
        try
        {
            try
            {
                if (await create(modelId, propertiesJson) is { } monitor)
                {
                    monitor.WindowAnalysed = (channel, window, condition) => history.WindowAnalysed(twinId, channel, window, condition);
                    intake.Attach(monitor);
                }
            }
            catch (Exception ex) when (ex is TwinOperationException or ArgumentException)
            {
                logger.LogWarning(ex, "Twin {TwinId}: no condition monitoring ({Reason})", twinId, ex.Message);
            }

            _checked = true;   // a failure other than a refused model is tried again by the next caller
        }
        finally
        {
            _build = null;
        }
    }
}
