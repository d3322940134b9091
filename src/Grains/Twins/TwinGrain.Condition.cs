using Microsoft.Extensions.Logging;
using TwinCluster.Analytics;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// Condition monitoring inside a component twin: a twin whose model is (or extends) a bearing, main bearing, gearbox
/// or generator feeds every record it applies in order to a <see cref="ComponentMonitor"/>, whose checkpoint is kept
/// with the telemetry checkpoint. Other twins are not monitored.
/// </summary>
public sealed partial class TwinGrain
{
    private ComponentMonitor? _monitor;
    private bool _monitorChecked;
    private Task? _monitorBuild;
    private bool _monitorFailed;
    private long _analysisTicks;
    private long _windowsAtActivation;

    /// <summary>The severity-zone kind for a model, from its id and its bases; null when it is not a monitored component.</summary>
    public static ComponentKind? MonitoredKind(string modelId, IEnumerable<string> bases)
    {
        ArgumentNullException.ThrowIfNull(bases);
        var ids = bases.Prepend(modelId).ToList();
        bool Is(string name) => ids.Any(id => id.Contains(":" + name + ";", StringComparison.OrdinalIgnoreCase));
        return Is("MainBearing") ? ComponentKind.MainBearing
            : Is("Gearbox") ? ComponentKind.Gearbox
            : Is("Generator") ? ComponentKind.Generator
            : Is("Bearing") ? ComponentKind.Generic
            : null;
    }

    /// <summary>Builds the monitor once; concurrent (interleaved) callers wait for the same build.</summary>
    private Task EnsureMonitor()
    {
        if (_monitorChecked || !S.Exists)
        {
            return Task.CompletedTask;
        }

        if (_monitorBuild is { IsCompleted: true })
        {
            _monitorBuild = null;   // a finished build that failed: try again
        }

        return _monitorBuild ??= BuildMonitor();
    }

    private async Task BuildMonitor()
    {
        try
        {
            await BuildMonitorCore();
            _monitorChecked = true;   // a failure other than a refused model is tried again by the next caller
        }
        finally
        {
            _monitorBuild = null;
        }
    }

    private async Task BuildMonitorCore()
    {
        try
        {
            var model = await _models.GetAsync(S.ModelId);
            if (MonitoredKind(S.ModelId, model.Interface.AllBases) is not { } kind)
            {
                return;
            }

            _monitor = new ComponentMonitor(kind, S.PropertiesJson, _conditionSettings.For(S.ModelId, model.Interface.AllBases));
            _monitor.WindowAnalysed = (channel, window, condition) => historySink.WindowAnalysed(Id, channel, window, condition);
            if (T.Condition is { } checkpoint)
            {
                _monitor.Restore(checkpoint);
            }

            _windowsAtActivation = _monitor.WindowsAnalysed;
        }
        catch (Exception ex) when (ex is TwinOperationException or ArgumentException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: no condition monitoring ({Reason})", Id, ex.Message);
            _monitor = null;
        }
    }

    /// <summary>Feeds one applied record, in seq order, to the monitor; a failing analysis never stops telemetry.</summary>
    private void Analyse(TelemetryRecord record)
    {
        if (_monitor is null || _monitorFailed)
        {
            return;
        }

        var started = Diagnostics.ThreadCpu.Now();
        try
        {
            _monitor.Offer(record);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            _monitorFailed = true;
            logger.LogError(ex, "Twin {TwinId}: condition analysis failed; monitoring stops until the twin is reactivated", Id);
        }
        finally
        {
            _analysisTicks += Diagnostics.ThreadCpu.Now() - started;
        }
    }

    /// <summary>
    /// Properties changed (bearing geometry, sample rate): the next record builds the monitor again from them, carrying
    /// over the condition, alert state and health history (the sample buffers refill).
    /// </summary>
    private void RenewMonitor()
    {
        if (_monitor is not null)
        {
            T.Condition = _monitor.Snapshot();
            _checkpointDirty = true;
        }

        ForgetCondition();
    }

    private void ForgetCondition()
    {
        _monitor = null;
        _monitorChecked = false;
        _monitorBuild = null;
        _monitorFailed = false;
    }
}
