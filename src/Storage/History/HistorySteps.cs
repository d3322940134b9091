using System.Globalization;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History;

/// <summary>Checks a trend's range and step, and chooses a step when none is given.</summary>
public static class HistorySteps
{
    /// <summary>The steps chosen from (a given step may be any whole number of seconds).</summary>
    public static readonly TimeSpan[] Ladder =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
        TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(30),
    ];

    /// <summary>
    /// The step for [from, to): the given one if it is whole seconds and gives at most
    /// <see cref="HistoryTrendQuery.MaxBuckets"/> buckets, otherwise refused naming the limit; without one, the
    /// smallest step of <see cref="Ladder"/> that gives at most <see cref="HistoryTrendQuery.TargetBuckets"/>.
    /// </summary>
    public static TimeSpan Resolve(DateTimeOffset from, DateTimeOffset to, TimeSpan? step)
    {
        if (to <= from)
        {
            throw Invalid($"the time range is backwards or empty: 'to' ({to:O}) must be after 'from' ({from:O})");
        }

        var range = to - from;
        if (step is not { } given)
        {
            foreach (var candidate in Ladder)
            {
                if (range.Ticks / (double)candidate.Ticks <= HistoryTrendQuery.TargetBuckets)
                {
                    return candidate;
                }
            }

            return TimeSpan.FromTicks((long)Math.Ceiling(range.Ticks / (double)HistoryTrendQuery.TargetBuckets / TimeSpan.TicksPerDay) * TimeSpan.TicksPerDay);
        }

        if (given <= TimeSpan.Zero || given.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw Invalid($"the step must be a positive whole number of seconds (is {Format(given)})");
        }

        var finest = TimeSpan.FromSeconds(Math.Ceiling(range.TotalSeconds / HistoryTrendQuery.MaxBuckets));
        if (given < finest)
        {
            throw Invalid(
                $"the step {Format(given)} is too fine for a range of {Format(range)}: at most {HistoryTrendQuery.MaxBuckets:N0} buckets, so a step of at least {Format(finest)}");
        }

        return given;
    }

    /// <summary>The start of the bucket of width <paramref name="step"/> that holds <paramref name="timeUtc"/> (aligned to the Unix epoch).</summary>
    public static DateTime BucketStart(DateTime timeUtc, TimeSpan step)
    {
        var since = timeUtc.Ticks - DateTime.UnixEpoch.Ticks;
        var bucket = since >= 0 ? since / step.Ticks : ((since + 1) / step.Ticks) - 1;
        return new DateTime(DateTime.UnixEpoch.Ticks + bucket * step.Ticks, DateTimeKind.Utc);
    }

    /// <summary>Parses "90s", "5m", "1h", "2d", "1w" or a TimeSpan ("01:00:00"); null when unparsable.</summary>
    public static TimeSpan? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            var unit = text[^1] switch { 's' => 1.0, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 7 * 86400, _ => 0 };
            if (unit > 0)
            {
                return TimeSpan.FromSeconds(n * unit);
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
    }

    /// <summary>"30d", "4h", "2m10s", "500ms".</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";
        }

        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add($"{span.Days}d");
        }

        if (span.Hours > 0)
        {
            parts.Add($"{span.Hours}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add($"{span.Seconds}s");
        }

        return string.Concat(parts);
    }

    /// <summary>A refusal of bad input.</summary>
    public static TwinOperationException Invalid(string message) => new(TwinErrorCode.Invalid, message);
}
