using System.Globalization;

namespace TwinCluster.Storage.History;

/// <summary>Times as people type them: "now", "-30d" / "-90m" (before now), or ISO 8601 (UTC unless an offset is given).</summary>
public static class HistoryTime
{
    /// <summary>The time <paramref name="text"/> names; throws an <see cref="ArgumentException"/> naming <paramref name="option"/>.</summary>
    public static DateTimeOffset Parse(string text, DateTimeOffset now, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (string.Equals(t, "now", StringComparison.OrdinalIgnoreCase))
        {
            return now;
        }

        if (t.StartsWith('-') && HistorySteps.Parse(t[1..]) is { } ago)
        {
            return now - ago;
        }

        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw new ArgumentException($"{option}: '{text}' is not a time (use ISO 8601 like 2026-11-30T12:00:00Z, 'now', or '-30d', '-6h', '-15m')");
    }
}
