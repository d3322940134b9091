using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Utilities;
using Orleans.Streams.Core;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Telemetry;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// The telemetry side of a twin: an implicit subscriber of its telemetry stream, handing every batch to its
/// <see cref="TelemetryIntake"/>. While telemetry flows a one-second timer lets the intake retry gaps and catch up,
/// and stores its checkpoint every <see cref="TelemetryOptions.CheckpointInterval"/>; after a crash the twin resumes
/// from it and catches up from the log, so nothing is lost or counted twice. A component twin's monitor is built
/// once from its model and properties (<see cref="MonitorFactory"/>) and built again when its properties change.
/// </summary>
[ImplicitStreamSubscription(TelemetryStreams.Namespace)]
public sealed partial class TwinGrain : IStreamSubscriptionObserver, IAsyncObserver<TelemetryBatch>
{
    /// <summary>How long a condition watcher stays subscribed without renewing.</summary>
    public static readonly TimeSpan ConditionWatchLease = TimeSpan.FromMinutes(2);

    private IGrainTimer? _telemetryTimer;
    private MonitorLoader? _monitors;
    private ObserverManager<IConditionWatcher>? _watchers;
    private long _watchersTold = -1;

    private MonitorLoader Monitors => _monitors ??= new MonitorLoader(Id, Intake,
        (modelId, properties) => MonitorFactory.CreateAsync(services.Models, services.Condition, modelId, properties), services.HistorySink, logger);

    /// <inheritdoc />
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<TelemetryBatch>().ResumeAsync(this);
    }

    /// <inheritdoc />
    public async Task OnNextAsync(TelemetryBatch item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        await RefreshIfAbsent();
        if (!S.Exists)
        {
            // Deleted (or never created) after the ingress admitted the message: nothing to apply it to.
            services.TelemetryMetrics.Dropped(item.Records.Length);
            return;
        }

        var now = services.Time.GetUtcNow();
        _telemetryTimer ??= this.RegisterGrainTimer(OnTelemetryTimer, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        await EnsureMonitor();
        await Intake.ReceiveAsync(item, now, CancellationToken.None);
        await AfterAnalysis();
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Twin {TwinId}: telemetry stream error", Id);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<TelemetryStatus> GetTelemetry()
    {
        await Require(null);

        await EnsureMonitor();
        if (Intake.ShouldCatchUp(services.Time.GetUtcNow()))
        {
            // While live records flow, the timer and the gap logic do this.
            await Intake.CatchUpFromLogAsync(CancellationToken.None);
            await AfterAnalysis();
        }

        return Intake.Status();
    }

    /// <inheritdoc />
    public async Task<ConditionView?> GetConditionView()
    {
        await Require(null);

        return Intake.Monitor?.View(Id);
    }

    /// <inheritdoc />
    public async Task<TimeSpan> WatchCondition(IConditionWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        await Require(null);
        (_watchers ??= new ObserverManager<IConditionWatcher>(ConditionWatchLease, logger)).Subscribe(watcher, watcher);
        return ConditionWatchLease;
    }

    /// <inheritdoc />
    public Task UnwatchCondition(IConditionWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        _watchers?.Unsubscribe(watcher);
        return Task.CompletedTask;
    }

    private async Task AfterAnalysis()
    {
        await HealthAfterAnalysis();
        // Watchers hear of each new analysed window once (one-way: a gone watcher expires with its lease).
        if (_watchers is { Count: > 0 } watchers && Intake.Monitor is { } monitor && monitor.WindowsAnalysed != _watchersTold)
        {
            var windows = _watchersTold = monitor.WindowsAnalysed;
            // Synchronous: one-way calls return at once, and no interleaved (un)watch can change the set mid-loop.
            watchers.Notify(w => { _ = w.Analysed(Id, windows); });
        }
    }

    private async Task OnTelemetryTimer(CancellationToken cancellationToken)
    {
        await Intake.TickAsync(cancellationToken);
        if (Intake.CheckpointDue(services.Time.GetUtcNow()))
        {
            await WriteCheckpoint();
        }

        await AfterAnalysis();
    }

    private async Task WriteCheckpoint()
    {
        await _gate.WaitAsync();
        try
        {
            await WriteCheckpointLocked();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteCheckpointLocked()
    {
        if (!Intake.CheckpointDirty)
        {
            return;
        }

        try
        {
            telemetry.State = Intake.TakeCheckpoint();
            await telemetry.WriteStateAsync();
            Intake.Checkpointed(services.Time.GetUtcNow());
        }
        catch (Exception ex)
        {
            // The next tick retries; meanwhile a crash replays from the previous checkpoint, which is safe.
            logger.LogWarning(ex, "Twin {TwinId}: telemetry checkpoint failed", Id);
        }
    }

    /// <summary>Under the gate (the twin is being deleted): a twin created again under this id starts afresh.</summary>
    private async Task ForgetTelemetry()
    {
        await telemetry.ClearStateAsync();
        telemetry.State = new TelemetryCheckpoint();
        Intake.Reset(telemetry.State);
        Monitors.Forget();
    }

    /// <summary>A component twin's monitor, built once from its model and properties.</summary>
    private Task EnsureMonitor() => S.Exists ? Monitors.EnsureAsync(S.ModelId, S.PropertiesJson) : Task.CompletedTask;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Health first: the checkpoint holds the monitor's record of the alerts it reported.
        await FlushHealth();
        await WriteCheckpoint();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }
}
