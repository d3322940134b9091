using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>
/// The alert rule of one component, pure: given its open alert and the level its monitor now reports (the monitor
/// already applies hysteresis), what the alert becomes. One open alert at a time; the same level again changes
/// nothing (so a level replayed after a restart is not a second alert); warning to alarm escalates and asks for a
/// new acknowledgement; alarm to warning eases and keeps it; normal clears.
/// </summary>
public static class AlertBook
{
    /// <summary>The outcome of <see cref="Apply"/>: the open alert after it, the alert as changed, and how.</summary>
    public readonly record struct Outcome(TwinAlert? Open, TwinAlert? Changed, TwinChangeKind? Kind);

    /// <summary>Applies a reported level. <paramref name="lastNumber"/> is the last alert number used.</summary>
    public static Outcome Apply(string twinId, TwinAlert? open, long lastNumber, HealthStatus level, string explanation, DateTimeOffset now)
    {
        if (level is HealthStatus.Normal or HealthStatus.Unknown)
        {
            if (open is null)
            {
                return new Outcome(null, null, null);
            }

            var cleared = open with { ClearedAt = now, ChangedAt = now, Revision = open.Revision + 1 };
            return new Outcome(null, cleared, TwinChangeKind.AlertCleared);
        }

        if (open is null)
        {
            var raised = new TwinAlert(twinId, lastNumber + 1, level, level, now, now, explanation, null, null, null, null);
            return new Outcome(raised, raised, TwinChangeKind.AlertRaised);
        }

        if (open.Level == level)
        {
            return new Outcome(open, null, null);
        }

        if (level > open.Level)
        {
            var escalated = open with
            {
                Level = level,
                PeakLevel = level > open.PeakLevel ? level : open.PeakLevel,
                ChangedAt = now,
                Explanation = explanation,
                AcknowledgedBy = null,
                AcknowledgedAt = null,
                Note = null,
                Revision = open.Revision + 1,
            };
            return new Outcome(escalated, escalated, TwinChangeKind.AlertEscalated);
        }

        var eased = open with { Level = level, ChangedAt = now, Explanation = explanation, Revision = open.Revision + 1 };
        return new Outcome(eased, eased, TwinChangeKind.AlertEased);
    }

    /// <summary>Acknowledges the open alert; throws <see cref="TwinOperationException"/> (NotFound) when there is none.</summary>
    public static TwinAlert Acknowledge(string twinId, TwinAlert? open, string acknowledgedBy, string? note, DateTimeOffset now)
    {
        if (open is null)
        {
            throw new TwinOperationException(TwinErrorCode.NotFound, $"twin '{twinId}' has no open alert");
        }

        if (string.IsNullOrWhiteSpace(acknowledgedBy))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "acknowledgedBy must name who acknowledges");
        }

        if (acknowledgedBy.Length > 200 || note?.Length > 2000)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "acknowledgedBy may be at most 200 characters and note at most 2,000");
        }

        return open with { AcknowledgedBy = acknowledgedBy.Trim(), AcknowledgedAt = now, Note = note, ChangedAt = now, Revision = open.Revision + 1 };
    }
}
