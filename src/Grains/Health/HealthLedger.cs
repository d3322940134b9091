using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>
/// A twin's health and alerts, without Orleans. A monitored component turns its monitor's alert transitions into
/// alerts (<see cref="AlertBook"/>); every twin rolls its own health up with its children's reports
/// (<see cref="HealthRollup"/>) and, only when the result differs from what it last reported, records it as reported.
/// The ledger decides; the grain does the I/O: it stores <see cref="State"/> while <see cref="Dirty"/>, and sends what
/// <see cref="TakeDelivery"/> returns (the report for the container, the alert states for the registry, the change
/// events), telling the ledger what arrived. What is pending is in the state, so a new activation resumes it.
/// </summary>
public sealed class HealthLedger(string twinId, HealthState state, HealthOptions options, TwinMetrics metrics, ILogger logger)
{
    private readonly List<TwinChange> _changes = [];
    private long _windows = -1;

    /// <summary>The state to store.</summary>
    public HealthState State { get; private set; } = state;

    /// <summary>True when <see cref="State"/> changed since it was last stored.</summary>
    public bool Dirty { get; private set; }

    /// <summary>True when something waits to be delivered.</summary>
    public bool HasDeliveries => State.ParentPending || State.RegistryOutbox.Count > 0 || _changes.Count > 0;

    /// <summary>True when reports wait for the container or the registry (what a new activation resumes).</summary>
    public bool HasPendingReports => State.ParentPending || State.RegistryOutbox.Count > 0;

    /// <summary>The children's latest reports, ordered by id.</summary>
    public IReadOnlyList<TwinHealth> Children => [.. State.Children.Values.OrderBy(c => c.TwinId, StringComparer.Ordinal)];

    /// <summary>The open alert, then the cleared ones, newest first.</summary>
    public IReadOnlyList<TwinAlert> Alerts => [.. (State.OpenAlert is { } open ? [open] : Array.Empty<TwinAlert>()), .. State.Cleared];

    /// <summary>The state was stored.</summary>
    public void Stored() => Dirty = false;

    /// <summary>Takes a child's report, unless it is older than the one held (a retry, or the twin's previous life).</summary>
    public bool AcceptChildReport(TwinHealth child)
    {
        ArgumentNullException.ThrowIfNull(child);
        var held = State.Children.GetValueOrDefault(child.TwinId);
        if (held is not null && (child.Since < held.Since || (child.Since == held.Since && child.Version <= held.Version)))
        {
            return false;
        }

        State.Children[child.TwinId] = child;
        return Changed();
    }

    /// <summary>A new child's health, pulled when the <c>contains</c> was added; replaces whatever was held for that id.</summary>
    public bool AdoptChild(string childId, TwinHealth health, bool stillContained)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (!stillContained)
        {
            return false;
        }

        if (health.Status == HealthStatus.Unknown)
        {
            return State.Children.Remove(childId) && Changed();
        }

        State.Children[childId] = health;
        return Changed();
    }

    /// <summary>A child that left (relationship removed or twin deleted) no longer counts.</summary>
    public bool ForgetChild(string childId, bool stillContained) => !stillContained && State.Children.Remove(childId) && Changed();

    /// <summary>Acknowledges the open alert (throws NotFound when there is none) and queues it for the registry.</summary>
    public TwinAlert Acknowledge(string acknowledgedBy, string? note, DateTimeOffset now)
    {
        var acknowledged = AlertBook.Acknowledge(twinId, State.OpenAlert, acknowledgedBy, note, now);
        State.OpenAlert = acknowledged;
        State.RegistryOutbox.Add(acknowledged);
        _changes.Add(new TwinChange(0, TwinChangeKind.AlertAcknowledged, twinId, [], acknowledged.ChangedAt, null, acknowledged));
        metrics.Alert(TwinChangeKind.AlertAcknowledged, acknowledged.Level);
        Changed();
        return acknowledged;
    }

    /// <summary>True once per newly analysed window of <paramref name="monitor"/>: time to bring health up to date.</summary>
    public bool NewWindows(ComponentMonitor? monitor)
    {
        if (monitor is null || monitor.WindowsAnalysed == _windows)
        {
            return false;
        }

        _windows = monitor.WindowsAnalysed;
        return true;
    }

    /// <summary>Turns the monitor's alert transitions into alerts; true when any alert changed.</summary>
    public bool TakeAlertTransitions(ComponentMonitor? monitor, DateTimeOffset now)
    {
        var changed = false;
        while (monitor?.TakeTransition() is { } transition)
        {
            var outcome = AlertBook.Apply(twinId, State.OpenAlert, State.LastAlertNumber, HealthRollup.ToStatus(transition.To),
                $"{twinId} {transition.Condition.Explain()}", now);
            if (outcome.Kind is not { } kind || outcome.Changed is not { } alert)
            {
                continue;
            }

            if (kind == TwinChangeKind.AlertRaised)
            {
                State.LastAlertNumber = alert.Number;
            }
            else if (kind == TwinChangeKind.AlertCleared)
            {
                State.Cleared.Insert(0, alert);
                if (State.Cleared.Count > options.ClearedAlertsKept)
                {
                    State.Cleared.RemoveRange(options.ClearedAlertsKept, State.Cleared.Count - options.ClearedAlertsKept);
                }
            }

            State.OpenAlert = outcome.Open;
            State.RegistryOutbox.Add(alert);
            _changes.Add(new TwinChange(0, kind, twinId, [], now, null, alert));
            changed = Changed();
            metrics.Alert(kind, alert.Level);
            logger.LogInformation("Twin {TwinId}: alert {Number} {Kind}: {Explanation}", twinId, alert.Number, kind, alert.Explanation);
        }

        return changed;
    }

    /// <summary>
    /// The twin's health now: its own (from <paramref name="own"/>, a component's condition) rolled up with the
    /// weighted children's reports (<see cref="ChildReports"/> with their weights).
    /// </summary>
    public TwinHealth Compute(string modelId, string? label, ComponentCondition? own, IReadOnlyList<(TwinHealth Report, double Weight)> children,
        DateTimeOffset createdAt, DateTimeOffset now)
    {
        var openAlert = State.OpenAlert;
        var mine = own is null ? null : HealthRollup.FromCondition(twinId, modelId, label, own, openAlert, now);
        var health = HealthRollup.Combine(twinId, modelId, mine, children, options.Rule, now);
        return health with { Version = State.Reported?.Version ?? 0, OpenAlert = openAlert, Since = createdAt };
    }

    /// <summary>The children's reports as held now (a copy: interleaving calls may change them meanwhile).</summary>
    public List<TwinHealth> ChildReports() => [.. State.Children.Values];

    /// <summary>
    /// Records <paramref name="health"/> as reported when it differs enough from the last report (the dead band, or
    /// the refresh interval); then the container and the change stream are to hear of it.
    /// </summary>
    public bool Report(TwinHealth health, bool hasContainer)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (!HealthRollup.Differs(State.Reported, health, options.IndexDeadband, options.RefreshInterval))
        {
            return false;
        }

        State.Reported = health with { Version = (State.Reported?.Version ?? 0) + 1 };
        State.ParentPending = hasContainer;
        _changes.Add(new TwinChange(0, TwinChangeKind.Health, twinId, [], health.UpdatedAt, State.Reported, null));
        metrics.HealthReported(health.Status);
        return Changed();
    }

    /// <summary>This twin was just put in a container: true when it has a report to push there.</summary>
    public bool ContainerAdded()
    {
        if (State.Reported is null)
        {
            return false;
        }

        State.ParentPending = true;
        return true;
    }

    /// <summary>What to send now: the report for the container (if pending), the registry's outbox, the change events (taken).</summary>
    public HealthDelivery TakeDelivery()
    {
        var events = _changes.ToList();
        _changes.Clear();
        return new HealthDelivery(State.ParentPending ? State.Reported : null, [.. State.RegistryOutbox], events);
    }

    /// <summary>
    /// The container took <paramref name="sent"/>, or refused it as not (or no longer) its child: no longer pending,
    /// unless a newer report was made meanwhile.
    /// </summary>
    public void ParentDone(TwinHealth sent)
    {
        if (ReferenceEquals(State.Reported, sent))
        {
            State.ParentPending = false;
        }

        Changed();
    }

    /// <summary>The twin has no container (any more): nothing is pending for one.</summary>
    public void NoContainer() => State.ParentPending = false;

    /// <summary>The registry took <paramref name="alert"/>.</summary>
    public void RegistryDone(TwinAlert alert)
    {
        State.RegistryOutbox.Remove(alert);
        Changed();
    }

    /// <summary>Starts afresh (the twin was deleted).</summary>
    public void Reset(HealthState fresh)
    {
        State = fresh ?? throw new ArgumentNullException(nameof(fresh));
        Dirty = false;
        _changes.Clear();
    }

    private bool Changed()
    {
        Dirty = true;
        return true;
    }
}
