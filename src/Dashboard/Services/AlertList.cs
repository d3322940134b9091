using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Services;

/// <summary>Which alerts the alerts page shows.</summary>
public enum AlertLevelFilter
{
    All,
    Warning,
    Alarm,
}

/// <summary>The alerts page's model: the registry's alerts, live changes folded in by revision, filtered and ordered.</summary>
public sealed class AlertList
{
    private readonly Dictionary<(string, long), TwinAlert> _alerts = [];

    /// <summary>Replaces everything with a fresh read of the registry.</summary>
    public void Load(IEnumerable<TwinAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        _alerts.Clear();
        foreach (var a in alerts)
        {
            Put(a);
        }
    }

    /// <summary>Keeps the newest revision of an alert; true when it changed what is known.</summary>
    public bool Put(TwinAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var key = (alert.TwinId, alert.Number);
        if (_alerts.TryGetValue(key, out var known) && known.Revision >= alert.Revision)
        {
            return false;
        }

        _alerts[key] = alert;
        return true;
    }

    /// <summary>Folds in the alert events of a page of changes; true when anything changed.</summary>
    public bool Apply(IEnumerable<TwinChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var changed = false;
        foreach (var c in changes)
        {
            if (c.Alert is { } alert && c.Kind != TwinChangeKind.Health)
            {
                changed |= Put(alert);
            }
        }

        return changed;
    }

    /// <summary>An escalated alert: it reached alarm after being raised as a warning, or is past what was acknowledged.</summary>
    public static bool IsEscalated(TwinAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.IsOpen && alert.Level == HealthStatus.Alarm && (alert.Revision > 1 || alert.PeakLevel > alert.Level) && !alert.IsAcknowledged;
    }

    /// <summary>
    /// Open alerts first (alarms, then warnings, unacknowledged first, newest first), then the cleared ones newest
    /// first; only those in <paramref name="subtree"/> (null for all) and at <paramref name="level"/>.
    /// </summary>
    public IReadOnlyList<TwinAlert> View(IReadOnlySet<string>? subtree, AlertLevelFilter level, bool includeCleared)
    {
        return [.. _alerts.Values
            .Where(a => subtree is null || subtree.Contains(a.TwinId))
            .Where(a => level == AlertLevelFilter.All || (level == AlertLevelFilter.Alarm ? a.Level == HealthStatus.Alarm : a.Level == HealthStatus.Warning))
            .Where(a => includeCleared || a.IsOpen)
            .OrderByDescending(a => a.IsOpen)
            .ThenByDescending(a => a.IsOpen ? (int)a.Level : 0)
            .ThenBy(a => a.IsAcknowledged)
            .ThenByDescending(a => a.IsOpen ? a.RaisedAt : a.ClearedAt ?? a.ChangedAt)
            .ThenBy(a => a.TwinId, StringComparer.Ordinal)];
    }
}
