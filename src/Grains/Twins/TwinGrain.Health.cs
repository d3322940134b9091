using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using TwinCluster.Grains.Health;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// Health and alerts. A monitored component turns its monitor's condition into health and its alert transitions into
/// alerts (<see cref="AlertBook"/>); every twin rolls up its own health with its children's reports
/// (<see cref="HealthRollup"/>) and, only when the result differs from what it last reported, stores it, then reports
/// it to its container, the alert registry and the change stream. Delivery runs on a short timer so that a burst of
/// changes (a fleet starting up) goes up as one report; what fails is retried, also by a new activation, since what
/// is pending is stored. Every change of the health state runs under <see cref="_healthGate"/>, because several of
/// the calls that lead here interleave.
/// </summary>
public sealed partial class TwinGrain
{
    private const int MaxPathHops = 256;
    private static readonly TimeSpan PathTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan HealthRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DeliveryDelay = TimeSpan.FromMilliseconds(200);

    private readonly SemaphoreSlim _healthGate = new(1, 1);
    private readonly List<TwinChange> _changes = [];
    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private ImmutableArray<string> _path;
    private DateTimeOffset _pathAt;
    private bool _healthDirty;
    private IGrainTimer? _healthTimer;
    private DateTimeOffset _healthTimerDue;
    private string? _label;
    private long _healthWindows = -1;

    private HealthState H => _health.State;

    public async Task<TwinHealth> GetHealth()
    {
        await RefreshIfAbsent();
        if (!S.Exists)
        {
            throw TwinOperationException.TwinNotFound(Id);
        }

        await EnsureMonitor();
        return await ComputeHealth();
    }

    public async Task<ImmutableArray<TwinHealth>> GetChildHealth()
    {
        await RefreshIfAbsent();
        return S.Exists
            ? [.. H.Children.Values.ToList().OrderBy(c => c.TwinId, StringComparer.Ordinal)]
            : throw TwinOperationException.TwinNotFound(Id);
    }

    public async Task<ImmutableArray<string>> ReportChildHealth(TwinHealth child)
    {
        ArgumentNullException.ThrowIfNull(child);
        await RefreshIfAbsent();
        if (!S.Exists || !Contains(child.TwinId))
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"twin '{Id}' does not contain '{child.TwinId}'");
        }

        var stored = await UpdateHealth(deliverNow: false, () =>
        {
            var held = H.Children.GetValueOrDefault(child.TwinId);
            if (held is not null && (child.Since < held.Since || (child.Since == held.Since && child.Version <= held.Version)))
            {
                return false;   // a report older than the one held (a retry, or the twin's previous life)
            }

            H.Children[child.TwinId] = child;
            return true;
        });
        if (!stored)
        {
            // The child keeps the report pending and sends it again.
            throw new InvalidOperationException($"twin '{Id}' could not store the health of '{child.TwinId}'; it will be reported again");
        }

        return await GetPath(0);
    }

    public async Task<ImmutableArray<string>> GetPath(int hops)
    {
        await RefreshIfAbsent();
        if (S.ParentId is not { } parent || hops >= MaxPathHops)
        {
            return [Id];
        }

        var now = time.GetUtcNow();
        if (_path.IsDefault || _path.Length < 2 || now - _pathAt > PathTtl || _path[^2] != parent)
        {
            var above = await GrainFactory.GetGrain<ITwinGrain>(parent).GetPath(hops + 1);
            // Containment is kept acyclic when relationships are added; a path that holds this twin would loop.
            _path = above.Contains(Id, StringComparer.Ordinal) ? [Id] : above.Add(Id);
            _pathAt = now;
        }

        return _path;
    }

    public async Task<TwinAlert> AcknowledgeAlert(string acknowledgedBy, string? note)
    {
        await Require(null);
        TwinAlert? acknowledged = null;
        var stored = await UpdateHealth(deliverNow: true, () =>
        {
            acknowledged = AlertBook.Acknowledge(Id, H.OpenAlert, acknowledgedBy, note, time.GetUtcNow());
            H.OpenAlert = acknowledged;
            H.RegistryOutbox.Add(acknowledged);
            _changes.Add(new TwinChange(0, TwinChangeKind.AlertAcknowledged, Id, [], acknowledged.ChangedAt, null, acknowledged));
            metrics.Alert(TwinChangeKind.AlertAcknowledged, acknowledged.Level);
            return true;
        });
        return stored
            ? acknowledged!
            : throw new InvalidOperationException($"the acknowledgement of twin '{Id}''s alert could not be stored; try again");
    }

    public async Task<ImmutableArray<TwinAlert>> GetAlerts()
    {
        await RefreshIfAbsent();
        return S.Exists
            ? [.. (H.OpenAlert is { } open ? [open] : Array.Empty<TwinAlert>()), .. H.Cleared.ToList()]
            : throw TwinOperationException.TwinNotFound(Id);
    }

    private bool Contains(string childId) =>
        S.Outgoing.Values.Any(r => r.Name == RelationshipNames.Contains && r.TargetId == childId);

    /// <summary>After records were applied (live, from the log, or on a timer): a newly analysed window updates health.</summary>
    private async Task HealthAfterAnalysis()
    {
        if (_monitor is { } monitor && monitor.WindowsAnalysed != _healthWindows)
        {
            _healthWindows = monitor.WindowsAnalysed;
            await UpdateHealth(deliverNow: false);
        }
    }

    /// <summary>
    /// Brings health up to date under the health gate: <paramref name="change"/> first (its exceptions propagate and
    /// change nothing), then alert transitions from the monitor and the roll-up; stores what changed, then delivers
    /// it now or on the delivery timer. Returns false when the state could not be stored (retried by the timer).
    /// </summary>
    private async Task<bool> UpdateHealth(bool deliverNow, Func<bool>? change = null)
    {
        await _healthGate.WaitAsync();
        try
        {
            if (change is not null && change())
            {
                _healthDirty = true;
            }

            return await UpdateHealthLocked(deliverNow);
        }
        finally
        {
            _healthGate.Release();
        }
    }

    private async Task<bool> UpdateHealthLocked(bool deliverNow)
    {
        try
        {
            if (!S.Exists)
            {
                return true;
            }

            await EnsureMonitor();
            var alertsChanged = TakeAlertTransitions();
            var health = await ComputeHealth();
            if (HealthRollup.Differs(H.Reported, health, _healthOptions.IndexDeadband, _healthOptions.RefreshInterval))
            {
                H.Reported = health with { Version = (H.Reported?.Version ?? 0) + 1 };
                H.ParentPending = S.ParentId is not null;
                _changes.Add(new TwinChange(0, TwinChangeKind.Health, Id, [], health.UpdatedAt, H.Reported, null));
                _healthDirty = true;
                metrics.HealthReported(health.Status);
            }

            if (_healthDirty)
            {
                await _health.WriteStateAsync();
                _healthDirty = false;
            }

            if (alertsChanged)
            {
                // The monitor's record of what it reported goes to storage with the alerts, so a replay after a crash
                // does not raise them again.
                _checkpointDirty = true;
                await WriteCheckpoint();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: health could not be stored; retrying in {Retry}", Id, HealthRetry);
            ScheduleHealthTimer(HealthRetry);
            return false;
        }

        if (deliverNow)
        {
            await DeliverHealth();
        }
        else if (H.ParentPending || H.RegistryOutbox.Count > 0 || _changes.Count > 0)
        {
            ScheduleHealthTimer(DeliveryDelay);
        }

        return true;
    }

    private bool TakeAlertTransitions()
    {
        var changed = false;
        while (_monitor?.TakeTransition() is { } transition)
        {
            var now = time.GetUtcNow();
            var outcome = AlertBook.Apply(Id, H.OpenAlert, H.LastAlertNumber, HealthRollup.ToStatus(transition.To), $"{Id} {transition.Condition.Explain()}", now);
            if (outcome.Kind is not { } kind || outcome.Changed is not { } alert)
            {
                continue;
            }

            if (kind == TwinChangeKind.AlertRaised)
            {
                H.LastAlertNumber = alert.Number;
            }
            else if (kind == TwinChangeKind.AlertCleared)
            {
                H.Cleared.Insert(0, alert);
                if (H.Cleared.Count > _healthOptions.ClearedAlertsKept)
                {
                    H.Cleared.RemoveRange(_healthOptions.ClearedAlertsKept, H.Cleared.Count - _healthOptions.ClearedAlertsKept);
                }
            }

            H.OpenAlert = outcome.Open;
            H.RegistryOutbox.Add(alert);
            _changes.Add(new TwinChange(0, kind, Id, [], now, null, alert));
            _healthDirty = true;
            changed = true;
            metrics.Alert(kind, alert.Level);
            logger.LogInformation("Twin {TwinId}: alert {Number} {Kind}: {Explanation}", Id, alert.Number, kind, alert.Explanation);
        }

        return changed;
    }

    private async Task<TwinHealth> ComputeHealth()
    {
        var now = time.GetUtcNow();
        var reports = H.Children.Values.ToList();   // interleaving calls may change the children meanwhile
        var openAlert = H.OpenAlert;
        TwinHealth? own = null;
        if (_monitor?.Condition is { } condition)
        {
            own = HealthRollup.FromCondition(Id, S.ModelId, await Label(), condition, openAlert, now);
        }

        var children = new List<(TwinHealth, double)>(reports.Count);
        foreach (var child in reports)
        {
            children.Add((child, await WeightOf(child.ModelId)));
        }

        var health = HealthRollup.Combine(Id, S.ModelId, own, children, _healthOptions.Rule, now);
        return health with { Version = H.Reported?.Version ?? 0, OpenAlert = openAlert, Since = S.CreatedAt };
    }

    /// <summary>Reports to the container, the alert registry and the change stream what has not reached them yet (under the gate).</summary>
    private async Task DeliverHealth()
    {
        var retry = false;
        if (H.ParentPending && H.Reported is { } reported)
        {
            retry |= !await ReportToParent(reported);
        }

        foreach (var alert in H.RegistryOutbox.ToList())
        {
            try
            {
                await GrainFactory.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).Put(alert);
                H.RegistryOutbox.Remove(alert);
                _healthDirty = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Twin {TwinId}: alert registry update failed; retrying", Id);
                retry = true;
                break;
            }
        }

        await PublishChanges();
        if (retry)
        {
            ScheduleHealthTimer(HealthRetry);
        }
    }

    private async Task<bool> ReportToParent(TwinHealth reported)
    {
        if (S.ParentId is not { } parent)
        {
            H.ParentPending = false;
            return true;
        }

        try
        {
            var above = await GrainFactory.GetGrain<ITwinGrain>(parent).ReportChildHealth(reported);
            _path = above.Contains(Id, StringComparer.Ordinal) ? [Id] : above.Add(Id);
            _pathAt = time.GetUtcNow();
            H.ParentPending = false;
            _healthDirty = true;
            return true;
        }
        catch (TwinOperationException ex) when (ex.Code is TwinErrorCode.Conflict or TwinErrorCode.NotFound)
        {
            // Not (or no longer) that twin's child: a new container pulls our health, and we push it when it adds us.
            logger.LogDebug("Twin {TwinId}: container {Parent} refused the health report: {Reason}", Id, parent, ex.Message);
            H.ParentPending = false;
            _healthDirty = true;
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: health report to {Parent} failed; retrying", Id, parent);
            return false;
        }
    }

    /// <summary>Publishes pending change events; the stream is best-effort (the twins hold the truth), so a failure is logged and dropped.</summary>
    private async Task PublishChanges()
    {
        if (_changes.Count == 0)
        {
            return;
        }

        var events = _changes.ToList();
        _changes.Clear();
        try
        {
            var path = await GetPath(0);
            var stream = this.GetStreamProvider(ChangeStreams.Provider).GetStream<TwinChange>(StreamId.Create(ChangeStreams.Namespace, ChangeStreams.Key));
            foreach (var change in events)
            {
                await stream.OnNextAsync(change with { Path = path });
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: {Count} change events could not be published", Id, events.Count);
        }
    }

    /// <summary>Runs health delivery after <paramref name="due"/>, unless a run is already due sooner.</summary>
    private void ScheduleHealthTimer(TimeSpan due)
    {
        var at = time.GetUtcNow() + due;
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
            await _healthGate.WaitAsync();
            try
            {
                if (await UpdateHealthLocked(deliverNow: true) && _healthDirty)
                {
                    // What delivery cleared (pending flags, the outbox) is stored right away, not with the next change.
                    await StoreHealth();
                }
            }
            finally
            {
                _healthGate.Release();
            }
        }, due, Timeout.InfiniteTimeSpan);
    }

    private async Task StoreHealth()
    {
        try
        {
            await _health.WriteStateAsync();
            _healthDirty = false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Still dirty: the next update or the deactivation writes it; meanwhile a restart only repeats deliveries.
            logger.LogWarning(ex, "Twin {TwinId}: health delivery state could not be stored", Id);
        }
    }

    /// <summary>On activation: deliveries that a previous activation left pending are resumed.</summary>
    private void ResumeHealthDelivery()
    {
        if (S.Exists && (H.ParentPending || H.RegistryOutbox.Count > 0))
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

        // Whatever was held for that id (a deleted twin of the same name) is replaced.
        await UpdateHealth(deliverNow: false, () =>
        {
            if (!Contains(childId))
            {
                return false;
            }

            if (health.Status == HealthStatus.Unknown)
            {
                return H.Children.Remove(childId);
            }

            H.Children[childId] = health;
            return true;
        });
    }

    /// <summary>A child that left (relationship removed or twin deleted) no longer counts.</summary>
    private Task ForgetChildHealth(string childId) =>
        UpdateHealth(deliverNow: false, () => !Contains(childId) && H.Children.Remove(childId));

    /// <summary>This twin was just put in a container: it pushes its health there once the container's call is done.</summary>
    private void OnContainerAdded()
    {
        _path = default;
        if (H.Reported is not null)
        {
            H.ParentPending = true;
            ScheduleHealthTimer(DeliveryDelay);
        }
    }

    /// <summary>Stores health not yet stored (at deactivation).</summary>
    private async Task FlushHealth()
    {
        if (!_healthDirty || !S.Exists)
        {
            return;
        }

        await UpdateHealth(deliverNow: false);
    }

    private async Task ForgetHealth()
    {
        await _healthGate.WaitAsync();
        try
        {
            if (H.OpenAlert is not null || H.Cleared.Count > 0)
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
            await _health.ClearStateAsync();
            _health.State = new HealthState();
            _healthDirty = false;
            _changes.Clear();
            _path = default;
            _label = null;
        }
        finally
        {
            _healthGate.Release();
        }
    }

    private async Task<string> Label()
    {
        if (_label is null)
        {
            var model = await _models.GetAsync(S.ModelId);
            _label = model.Interface.DisplayName?.Default ?? NameOf(S.ModelId);
        }

        return _label;
    }

    private async Task<double> WeightOf(string modelId)
    {
        if (_healthOptions.Weights.Count == 0)
        {
            return 1;
        }

        if (!_weights.TryGetValue(modelId, out var weight))
        {
            weight = 1;
            try
            {
                var model = await _models.GetAsync(modelId);
                foreach (var id in model.Interface.AllBases.Prepend(modelId))
                {
                    if (_healthOptions.Weights.FirstOrDefault(w => w.Model == id) is { } configured)
                    {
                        weight = configured.Weight;
                        break;
                    }
                }
            }
            catch (TwinOperationException)
            {
                // A model that cannot be read weighs 1 (counted fully) rather than hiding its twin's health.
            }

            _weights[modelId] = weight;
        }

        return weight;
    }

    private static string NameOf(string modelId)
    {
        var start = modelId.LastIndexOf(':') + 1;
        var end = modelId.IndexOf(';', StringComparison.Ordinal);
        return end > start ? modelId[start..end] : modelId;
    }
}
