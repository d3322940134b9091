using System.Collections.Immutable;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>
/// The roll-up rule, pure: a twin's health from its own condition (a monitored component) and its children's last
/// reports, and whether a new health differs enough from the last reported one to report it again.
/// <list type="bullet">
/// <item>Status: the worst status among the twin itself and its children of weight above zero.</item>
/// <item>Index: worst-of takes the lowest weighted index, 1 − w·(1 − index); weighted mean takes Σ w·index / Σ w.</item>
/// <item>Source and wording: from the worst contribution (worst status, then lowest weighted index).</item>
/// <item>Counts: monitored components, alarms and warnings, summed down the tree.</item>
/// </list>
/// </summary>
public static class HealthRollup
{
    /// <summary>A monitored component's own health from its latest condition.</summary>
    public static TwinHealth FromCondition(string twinId, string modelId, string? label, ComponentCondition condition, TwinAlert? openAlert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var status = ToStatus(condition.Alert);
        return new TwinHealth(
            twinId, modelId, status, condition.HealthIndex, twinId, label, [], condition.Describe(), condition.Fault.ToString(),
            condition.Rul?.Seconds,
            condition.Rul is { } rul ? Math.Max(0, rul.UpperSeconds - rul.LowerSeconds) / 2 : null,
            Monitored: 1,
            Alarms: status == HealthStatus.Alarm ? 1 : 0,
            Warnings: status == HealthStatus.Warning ? 1 : 0,
            Version: 0,
            UpdatedAt: now,
            OpenAlert: openAlert);
    }

    /// <summary>The alert level a monitor state stands for.</summary>
    public static HealthStatus ToStatus(AlertState alert) => alert switch
    {
        AlertState.Alarm => HealthStatus.Alarm,
        AlertState.Warning => HealthStatus.Warning,
        _ => HealthStatus.Normal,
    };

    /// <summary>
    /// Rolls up. <paramref name="own"/> is the twin's own health when it is a monitored component (weight 1);
    /// <paramref name="children"/> are the children's reports with their weights. Version is left 0 for the caller.
    /// </summary>
    public static TwinHealth Combine(
        string twinId,
        string modelId,
        TwinHealth? own,
        IReadOnlyList<(TwinHealth Health, double Weight)> children,
        HealthRule rule,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(children);
        int monitored = 0, alarms = 0, warnings = 0;
        TwinHealth? worst = null;
        var worstWeighted = double.PositiveInfinity;
        var worstIsOwn = false;
        double weightSum = 0, weightedSum = 0, lowest = double.PositiveInfinity;

        void Consider(TwinHealth h, double weight, bool isOwn)
        {
            if (h.Status == HealthStatus.Unknown || h.Index is not { } index || weight <= 0)
            {
                return;
            }

            monitored += h.Monitored;
            alarms += h.Alarms;
            warnings += h.Warnings;
            var weighted = 1 - (weight * (1 - index));
            weightSum += weight;
            weightedSum += weight * index;
            lowest = Math.Min(lowest, weighted);
            if (worst is null || h.Status > worst.Status || (h.Status == worst.Status && weighted < worstWeighted))
            {
                worst = h;
                worstWeighted = weighted;
                worstIsOwn = isOwn;
            }
        }

        if (own is not null)
        {
            Consider(own, 1, isOwn: true);
        }

        foreach (var (health, weight) in children.OrderBy(c => c.Health.TwinId, StringComparer.Ordinal))
        {
            Consider(health, weight, isOwn: false);
        }

        if (worst is null)
        {
            return TwinHealth.Unknown(twinId, modelId) with { UpdatedAt = now, OpenAlert = own?.OpenAlert };
        }

        var indexValue = rule == HealthRule.WeightedMean ? weightedSum / weightSum : lowest;
        return new TwinHealth(
            twinId,
            modelId,
            worst.Status,
            Math.Clamp(indexValue, 0, 1),
            worst.SourceId,
            worst.SourceLabel,
            worstIsOwn ? [] : [worst.TwinId, .. worst.SourcePath.IsDefault ? [] : worst.SourcePath],
            worst.Summary,
            worst.Fault,
            worst.RulSeconds,
            worst.RulBandSeconds,
            monitored,
            alarms,
            warnings,
            Version: 0,
            UpdatedAt: now,
            OpenAlert: own?.OpenAlert);
    }

    /// <summary>
    /// Whether <paramref name="next"/> should be reported after <paramref name="last"/>: a different status, source,
    /// counts, alert or RUL presence, or diagnosis (unless it stays normal); an index moved by at least <paramref name="deadband"/>; or different
    /// wording once <paramref name="refresh"/> has passed since the last report.
    /// </summary>
    public static bool Differs(TwinHealth? last, TwinHealth next, double deadband, TimeSpan refresh)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (last is null)
        {
            return next.Status != HealthStatus.Unknown || next.OpenAlert is not null;
        }

        // A diagnosis that changes while all is normal (no signature ↔ weak unknown vibration) is not news.
        var faultChanged = last.Fault != next.Fault && (last.Status > HealthStatus.Normal || next.Status > HealthStatus.Normal);
        if (last.Status != next.Status || last.SourceId != next.SourceId || faultChanged
            || last.Monitored != next.Monitored || last.Alarms != next.Alarms || last.Warnings != next.Warnings
            || last.OpenAlert != next.OpenAlert || last.RulSeconds.HasValue != next.RulSeconds.HasValue
            || !last.SourcePath.SequenceEqual(next.SourcePath, StringComparer.Ordinal))
        {
            return true;
        }

        if (last.Index is { } a && next.Index is { } b && a != b && Math.Abs(a - b) >= deadband)
        {
            return true;
        }

        return next.UpdatedAt - last.UpdatedAt >= refresh && last.Summary != next.Summary;
    }
}
