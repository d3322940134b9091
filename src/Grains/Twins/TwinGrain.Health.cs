using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using TwinCluster.Grains.Health;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// Health and alerts. A monitored component turns its monitor's condition into health and its alert transitions into
/// alerts (<see cref="AlertBook"/>); every twin rolls up its own health with its children's reports
/// (<see cref="HealthRollup"/>) and, only when the result differs from what it last reported, stores it, reports it
/// to its container, and publishes a change event. A report that fails is retried by a timer; the container
/// ignores reports older than the one it holds, so a retry never rolls it back.
/// </summary>
public sealed partial class TwinGrain
{
    private static readonly TimeSpan PathTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan HealthRetry = TimeSpan.FromSeconds(5);

    private readonly List<TwinChange> _changes = [];
    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private ImmutableArray<string> _path;
    private DateTimeOffset _pathAt;
    private bool _healthDirty;
    private IGrainTimer? _healthRetry;
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
            ? [.. H.Children.Values.OrderBy(c => c.TwinId, StringComparer.Ordinal)]
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

        if (!H.Children.TryGetValue(child.TwinId, out var held) || held.Version < child.Version)
        {
            H.Children[child.TwinId] = child;
            _healthDirty = true;
            await UpdateHealth();
        }

        return await GetPath();
    }

    public async Task<ImmutableArray<string>> GetPath()
    {
        await RefreshIfAbsent();
        if (S.ParentId is not { } parent)
        {
            return [Id];
        }

        var now = time.GetUtcNow();
        if (_path.IsDefault || _path.Length < 2 || now - _pathAt > PathTtl || _path[^2] != parent)
        {
            var above = await GrainFactory.GetGrain<ITwinGrain>(parent).GetPath();
            // Containment is kept acyclic when relationships are added; a path that holds this twin would loop.
            _path = above.Contains(Id, StringComparer.Ordinal) || above.Length >= 256 ? [Id] : above.Add(Id);
            _pathAt = now;
        }

        return _path;
    }

    public async Task<TwinAlert> AcknowledgeAlert(string acknowledgedBy, string? note)
    {
        await Require(null);
        var acknowledged = AlertBook.Acknowledge(Id, H.OpenAlert, acknowledgedBy, note, time.GetUtcNow());
        H.OpenAlert = acknowledged;
        H.RegistryOutbox.Add(acknowledged);
        _changes.Add(new TwinChange(0, TwinChangeKind.AlertAcknowledged, Id, [], acknowledged.ChangedAt, null, acknowledged));
        _healthDirty = true;
        await UpdateHealth();
        return acknowledged;
    }

    public async Task<ImmutableArray<TwinAlert>> GetAlerts()
    {
        await RefreshIfAbsent();
        return S.Exists
            ? [.. (H.OpenAlert is { } open ? [open] : Array.Empty<TwinAlert>()), .. H.Cleared]
            : throw TwinOperationException.TwinNotFound(Id);
    }

    private bool Contains(string childId) =>
        S.Outgoing.Values.Any(r => r.Name == RelationshipNames.Contains && r.TargetId == childId);

    /// <summary>
    /// Brings health up to date: alert transitions from the monitor, the roll-up, and, when it differs from the last
    /// report, store, report up and publish. Never throws: what fails is retried by the health timer.
    /// </summary>
    private async Task UpdateHealth()
    {
        try
        {
            TakeAlertTransitions();
            var health = await ComputeHealth();
            if (HealthRollup.Differs(H.Reported, health, _healthOptions.IndexDeadband, _healthOptions.RefreshInterval))
            {
                H.Reported = health with { Version = (H.Reported?.Version ?? 0) + 1 };
                H.ParentPending = S.ParentId is not null;
                _changes.Add(new TwinChange(0, TwinChangeKind.Health, Id, [], health.UpdatedAt, H.Reported, null));
                _healthDirty = true;
            }

            if (_healthDirty)
            {
                await _health.WriteStateAsync();
                _healthDirty = false;
            }

            await DeliverHealth();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: health update incomplete, retrying in {Retry}", Id, HealthRetry);
            ScheduleHealthRetry();
        }
    }

    private void TakeAlertTransitions()
    {
        while (_monitor?.TakeTransition() is { } transition)
        {
            var now = time.GetUtcNow();
            var outcome = AlertBook.Apply(Id, H.OpenAlert, H.LastAlertNumber, HealthRollup.ToStatus(transition.To), $"{Id} {transition.Condition.Explain()}", now);
            if (outcome.Kind is not { } kind || outcome.Changed is not { } changed)
            {
                continue;
            }

            if (kind == TwinChangeKind.AlertRaised)
            {
                H.LastAlertNumber = changed.Number;
            }
            else if (kind == TwinChangeKind.AlertCleared)
            {
                H.Cleared.Insert(0, changed);
                H.Cleared.RemoveRange(Math.Min(H.Cleared.Count, _healthOptions.ClearedAlertsKept), Math.Max(0, H.Cleared.Count - _healthOptions.ClearedAlertsKept));
            }

            H.OpenAlert = outcome.Open;
            H.RegistryOutbox.Add(changed);
            _changes.Add(new TwinChange(0, kind, Id, [], now, null, changed));
            _healthDirty = true;
            logger.LogInformation("Twin {TwinId}: alert {Number} {Kind}: {Explanation}", Id, changed.Number, kind, changed.Explanation);
        }
    }

    private async Task<TwinHealth> ComputeHealth()
    {
        var now = time.GetUtcNow();
        TwinHealth? own = null;
        if (_monitor?.Condition is { } condition)
        {
            own = HealthRollup.FromCondition(Id, S.ModelId, await Label(), condition, H.OpenAlert, now);
        }

        var children = new List<(TwinHealth, double)>(H.Children.Count);
        foreach (var child in H.Children.Values)
        {
            children.Add((child, await WeightOf(child.ModelId)));
        }

        var health = HealthRollup.Combine(Id, S.ModelId, own, children, _healthOptions.Rule, now);
        return health with { Version = H.Reported?.Version ?? 0, OpenAlert = H.OpenAlert };
    }

    /// <summary>Reports to the container, the alert registry and the change stream what has not reached them yet.</summary>
    private async Task DeliverHealth()
    {
        var failed = false;
        if (H.ParentPending && H.Reported is { } reported)
        {
            if (S.ParentId is not { } parent)
            {
                H.ParentPending = false;
            }
            else
            {
                try
                {
                    var above = await GrainFactory.GetGrain<ITwinGrain>(parent).ReportChildHealth(reported);
                    _path = above.Contains(Id, StringComparer.Ordinal) ? [Id] : above.Add(Id);
                    _pathAt = time.GetUtcNow();
                    H.ParentPending = false;
                }
                catch (TwinOperationException ex) when (ex.Code is TwinErrorCode.Conflict or TwinErrorCode.NotFound)
                {
                    // Not (or no longer) that twin's child: the new container pulls our health when it adds us.
                    logger.LogDebug("Twin {TwinId}: container {Parent} refused the health report: {Reason}", Id, parent, ex.Message);
                    H.ParentPending = false;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    logger.LogWarning(ex, "Twin {TwinId}: health report to {Parent} failed; retrying", Id, parent);
                    failed = true;
                }
            }
        }

        while (H.RegistryOutbox.Count > 0 && !failed)
        {
            try
            {
                await GrainFactory.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).Put(H.RegistryOutbox[0]);
                H.RegistryOutbox.RemoveAt(0);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Twin {TwinId}: alert registry update failed; retrying", Id);
                failed = true;
            }
        }

        await PublishChanges();
        if (failed)
        {
            ScheduleHealthRetry();
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
            var path = await GetPath();
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

    private void ScheduleHealthRetry()
    {
        _healthRetry?.Dispose();
        _healthRetry = this.RegisterGrainTimer(async _ =>
        {
            _healthRetry?.Dispose();
            _healthRetry = null;
            await UpdateHealth();
        }, HealthRetry, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A new child's health is pulled when the <c>contains</c> is added (it reports by itself only on change).</summary>
    private async Task AdoptChildHealth(string childId)
    {
        try
        {
            var health = await GrainFactory.GetGrain<ITwinGrain>(childId).GetHealth();
            if (health.Status != HealthStatus.Unknown && Contains(childId))
            {
                H.Children[childId] = health;
                _healthDirty = true;
                await UpdateHealth();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: could not read the health of new child {Child}; it reports on its next change", Id, childId);
        }
    }

    /// <summary>A child that left (relationship removed or twin deleted) no longer counts.</summary>
    private async Task ForgetChildHealth(string childId)
    {
        if (!Contains(childId) && H.Children.Remove(childId))
        {
            _healthDirty = true;
            await UpdateHealth();
        }
    }

    private async Task ForgetHealth()
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

        await _health.ClearStateAsync();
        _health.State = new HealthState();
        _changes.Clear();
        _path = default;
        _label = null;
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
