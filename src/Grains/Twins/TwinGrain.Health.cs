using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using TwinCluster.Grains.Health;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// The I/O of health and alerts; <see cref="HealthLedger"/> decides. After a change the ledger's state is stored
/// under the gate, then what it has to deliver (the report for the container, alert states for the registry, change
/// events) is sent outside the gate, one delivery at a time, on a short timer so that a burst of changes (a fleet
/// starting up) goes up as one report. What fails is retried, also by a new activation, since what is pending is stored.
/// </summary>
public sealed partial class TwinGrain : IHealthOutlets
{
    private static readonly TimeSpan HealthRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DeliveryDelay = TimeSpan.FromMilliseconds(200);

    private IGrainTimer? _healthTimer;
    private DateTimeOffset _healthTimerDue;
    private SingleFlight? _delivery;
    private HealthCourier? _courier;
    private ContainmentPath? _path;
    private HealthModels? _healthModels;

    private HealthModels Lookups => _healthModels ??= new HealthModels(services.Models, services.Health);

    private ContainmentPath Path => _path ??= new ContainmentPath(Id, services.Time);

    private SingleFlight Delivery => _delivery ??= new SingleFlight(DeliverOnce);

    private HealthCourier Courier => _courier ??= new HealthCourier(Id, Ledger, this, logger);

    public async Task<TwinHealth> GetHealth()
    {
        await Require(null);

        await EnsureMonitor();
        return await ComputeHealth();
    }

    public async Task<ImmutableArray<TwinHealth>> GetChildHealth()
    {
        await RefreshIfAbsent();
        return S.Exists ? [.. Ledger.Children] : throw TwinOperationException.TwinNotFound(Id);
    }

    public async Task<ImmutableArray<string>> ReportChildHealth(TwinHealth child)
    {
        ArgumentNullException.ThrowIfNull(child);
        await RefreshIfAbsent();
        if (!S.Exists || !TwinEdits.Contains(S, child.TwinId))
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"twin '{Id}' does not contain '{child.TwinId}'");
        }

        if (!await UpdateHealth(deliverNow: false, () => Ledger.AcceptChildReport(child)))
        {
            // The child keeps the report pending and sends it again.
            throw new InvalidOperationException($"twin '{Id}' could not store the health of '{child.TwinId}'; it will be reported again");
        }

        return await GetPath(0);
    }

    public async Task<ImmutableArray<string>> GetPath(int hops)
    {
        await RefreshIfAbsent();
        if (S.ParentId is not { } parent || hops >= ContainmentPath.MaxHops)
        {
            return [Id];
        }

        if (Path.Stale(parent))
        {
            Path.Set(await GrainFactory.GetGrain<ITwinGrain>(parent).GetPath(hops + 1));
        }

        return Path.Current;
    }

    public async Task<TwinAlert> AcknowledgeAlert(string acknowledgedBy, string? note)
    {
        await Require(null);
        TwinAlert? acknowledged = null;
        var stored = await UpdateHealth(deliverNow: true, () =>
        {
            acknowledged = Ledger.Acknowledge(acknowledgedBy, note, services.Time.GetUtcNow());
            return true;
        });
        return stored
            ? acknowledged!
            : throw new InvalidOperationException($"the acknowledgement of twin '{Id}''s alert could not be stored; try again");
    }

    public async Task<ImmutableArray<TwinAlert>> GetAlerts()
    {
        await RefreshIfAbsent();
        return S.Exists ? [.. Ledger.Alerts] : throw TwinOperationException.TwinNotFound(Id);
    }

    /// <summary>After records were applied (live, from the log, or on a timer): a newly analysed window updates health.</summary>
    private async Task HealthAfterAnalysis()
    {
        if (Ledger.NewWindows(Intake.Monitor))
        {
            await UpdateHealth(deliverNow: false);
        }
    }

    /// <summary>
    /// Brings health up to date under the gate: <paramref name="change"/> first (its exceptions propagate and change
    /// nothing), then alert transitions from the monitor and the roll-up; stores what changed, then delivers it now
    /// or on the delivery timer. Returns false when the state could not be stored (retried by the timer).
    /// </summary>
    private async Task<bool> UpdateHealth(bool deliverNow, Func<bool>? change = null)
    {
        await _gate.WaitAsync();
        try
        {
            change?.Invoke();
            if (!await UpdateHealthLocked())
            {
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }

        if (deliverNow)
        {
            await Delivery.RunAsync();
        }
        else if (Ledger.HasDeliveries)
        {
            ScheduleHealthTimer(DeliveryDelay);
        }

        return true;
    }

    private async Task<bool> UpdateHealthLocked()
    {
        try
        {
            if (!S.Exists)
            {
                return true;
            }

            await EnsureMonitor();
            var alertsChanged = Ledger.TakeAlertTransitions(Intake.Monitor, services.Time.GetUtcNow());
            Ledger.Report(await ComputeHealth(), hasContainer: S.ParentId is not null);
            if (Ledger.Dirty)
            {
                await health.WriteStateAsync();
                Ledger.Stored();
            }

            if (alertsChanged)
            {
                // The monitor's record of what it reported goes to storage with the alerts, so a replay after a crash
                // does not raise them again.
                Intake.MarkDirty();
                await WriteCheckpointLocked();
            }

            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: health could not be stored; retrying in {Retry}", Id, HealthRetry);
            ScheduleHealthTimer(HealthRetry);
            return false;
        }
    }

    private Task<TwinHealth> ComputeHealth() =>
        Lookups.ComputeAsync(Ledger, S.ModelId, Intake.Monitor?.Condition, S.CreatedAt, services.Time.GetUtcNow());

    private async Task DeliverOnce()
    {
        if (await Courier.DeliverAsync(Ledger.TakeDelivery()))
        {
            ScheduleHealthTimer(HealthRetry);
        }
    }

    string? IHealthOutlets.ContainerId => S.ParentId;

    async Task IHealthOutlets.ReportToContainerAsync(string containerId, TwinHealth report) =>
        Path.Set(await GrainFactory.GetGrain<ITwinGrain>(containerId).ReportChildHealth(report));

    Task IHealthOutlets.PutAlertAsync(TwinAlert alert) => GrainFactory.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).Put(alert);

    async Task IHealthOutlets.PublishAsync(IReadOnlyList<TwinChange> changes)
    {
        var path = await GetPath(0);
        var stream = this.GetStreamProvider(ChangeStreams.Provider).GetStream<TwinChange>(StreamId.Create(ChangeStreams.Namespace, ChangeStreams.Key));
        foreach (var change in changes)
        {
            await stream.OnNextAsync(change with { Path = path });
        }
    }

    /// <summary>Runs health delivery after <paramref name="due"/>, unless a run is already due sooner.</summary>
    private void ScheduleHealthTimer(TimeSpan due)
    {
        var at = services.Time.GetUtcNow() + due;
        if (_healthTimer is not null && _healthTimerDue <= at)
        {
            return;
        }

        _healthTimer?.Dispose();
        _healthTimerDue = at;
        _healthTimer = this.RegisterGrainTimer(async _ =>
        {
            _healthTimer?.Dispose();
            _healthTimer = null;
            if (await UpdateHealth(deliverNow: true) && Ledger.Dirty)
            {
                // What delivery cleared (pending flags, the outbox) is stored right away, not with the next change.
                await StoreHealth();
            }
        }, due, Timeout.InfiniteTimeSpan);
    }

    private async Task StoreHealth()
    {
        await _gate.WaitAsync();
        try
        {
            await health.WriteStateAsync();
            Ledger.Stored();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Still dirty: the next update or the deactivation writes it; meanwhile a restart only repeats deliveries.
            logger.LogWarning(ex, "Twin {TwinId}: health delivery state could not be stored", Id);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>On activation: deliveries that a previous activation left pending are resumed.</summary>
    private void ResumeHealthDelivery()
    {
        if (S.Exists && Ledger.HasPendingReports)
        {
            ScheduleHealthTimer(DeliveryDelay);
        }
    }

    /// <summary>A new child's health is pulled when the <c>contains</c> is added (the child also pushes it; see <see cref="OnContainerAdded"/>).</summary>
    private async Task AdoptChildHealth(string childId)
    {
        TwinHealth health;
        try
        {
            health = await GrainFactory.GetGrain<ITwinGrain>(childId).GetHealth();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: could not read the health of new child {Child}; it will push it", Id, childId);
            return;
        }

        await UpdateHealth(deliverNow: false, () => Ledger.AdoptChild(childId, health, TwinEdits.Contains(S, childId)));
    }

    /// <summary>A child that left (relationship removed or twin deleted) no longer counts.</summary>
    private Task ForgetChildHealth(string childId) =>
        UpdateHealth(deliverNow: false, () => Ledger.ForgetChild(childId, TwinEdits.Contains(S, childId)));

    /// <summary>This twin was just put in a container: it pushes its health there once the container's call is done.</summary>
    private void OnContainerAdded()
    {
        Path.Reset();
        if (Ledger.ContainerAdded())
        {
            ScheduleHealthTimer(DeliveryDelay);
        }
    }

    /// <summary>Stores health not yet stored (at deactivation).</summary>
    private async Task FlushHealth()
    {
        if (Ledger.Dirty && S.Exists)
        {
            await UpdateHealth(deliverNow: false);
        }
    }

    /// <summary>Under the gate (the twin is being deleted): its alerts leave the registry and its health starts afresh.</summary>
    private async Task ForgetHealthLocked()
    {
        if (health.State.OpenAlert is not null || health.State.Cleared.Count > 0)
        {
            try
            {
                await GrainFactory.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).Forget(Id);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Twin {TwinId}: deleted, but the alert registry still lists its alerts", Id);
            }
        }

        _healthTimer?.Dispose();
        _healthTimer = null;
        await health.ClearStateAsync();
        health.State = new HealthState();
        Ledger.Reset(health.State);
        Path.Reset();
        Lookups.Reset();
    }
}
