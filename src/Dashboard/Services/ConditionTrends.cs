using System.Collections.Immutable;
using System.Globalization;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Services;

/// <summary>One point of a condition trend: a window's value, or a history bucket's mean with its range.</summary>
public sealed record TrendPoint(DateTime At, double Value, double Min, double Max);

/// <summary>The condition page's three trends and where they came from.</summary>
/// <param name="VelocityRms">Velocity RMS, mm/s.</param>
/// <param name="Kurtosis">Kurtosis.</param>
/// <param name="Health">Health index.</param>
/// <param name="Source">In words: the history range and tier, and the live windows after it.</param>
public sealed record ConditionTrendSet(ImmutableArray<TrendPoint> VelocityRms, ImmutableArray<TrendPoint> Kurtosis, ImmutableArray<TrendPoint> Health, string Source);

/// <summary>
/// The condition page's trends: the component's history for the chosen range (from the history store, answered from
/// its best tier for the range, bucketed), continued at full resolution by the windows the condition view still holds
/// (its recent span). Where the two overlap the live windows win; history fills the time before them. The page reads
/// history when it opens, when the range changes, and again only when the live span has moved past the last read
/// (<see cref="NeedsHistory"/>), never on a timer.
/// </summary>
public static class ConditionTrends
{
    /// <summary>The history names of the three trends (as the history store keeps them per analysed window).</summary>
    public static readonly ImmutableArray<string> Names = ["velocityRms", "kurtosis", "health"];

    /// <summary>The ranges the page offers, the first the default.</summary>
    public static readonly ImmutableArray<(string Label, TimeSpan Range)> Ranges =
        [("1 h", TimeSpan.FromHours(1)), ("24 h", TimeSpan.FromDays(1)), ("7 d", TimeSpan.FromDays(7)), ("30 d", TimeSpan.FromDays(30))];

    /// <summary>The history query for <paramref name="twinId"/> over <paramref name="range"/> up to <paramref name="now"/> (step chosen by the store).</summary>
    public static HistoryTrendQuery Query(string twinId, TimeSpan range, DateTimeOffset now) =>
        new(twinId, null, null, Names, now - range, now, null);

    /// <summary>
    /// The trends from <paramref name="history"/> (null: none read, or it failed) and the view's live windows:
    /// history buckets that end before the first live window, then every live window.
    /// </summary>
    public static ConditionTrendSet Merge(HistoryTrend? history, ImmutableArray<ConditionTrendPoint> live)
    {
        live = live.IsDefault ? [] : live;
        var cut = live.IsEmpty ? DateTime.MaxValue : live[0].At;
        var buckets = 0;
        ImmutableArray<TrendPoint> Series(string name, Func<ConditionTrendPoint, double> value)
        {
            var builder = ImmutableArray.CreateBuilder<TrendPoint>();
            if (history?.Series.FirstOrDefault(s => s.Name == name) is { } series)
            {
                foreach (var b in series.Buckets)
                {
                    if (b.Count > 0 && b.Start + history.Step <= cut)
                    {
                        builder.Add(new TrendPoint(b.Start, b.Mean, b.Min, b.Max));
                    }
                }

                buckets = Math.Max(buckets, builder.Count);
            }

            foreach (var p in live)
            {
                var v = value(p);
                builder.Add(new TrendPoint(p.At, v, v, v));
            }

            return builder.ToImmutable();
        }

        var velocity = Series("velocityRms", p => p.VelocityRms);
        var kurtosis = Series("kurtosis", p => p.Kurtosis);
        var health = Series("health", p => p.Health);
        return new ConditionTrendSet(velocity, kurtosis, health, Describe(history, buckets, live.Length));
    }

    /// <summary>
    /// True when the live windows no longer reach back to the end of the history read (the view keeps a bounded
    /// span): reading history again closes the gap.
    /// </summary>
    public static bool NeedsHistory(HistoryTrend? history, ImmutableArray<ConditionTrendPoint> live) =>
        history is not null && !live.IsDefaultOrEmpty && live[0].At > history.To;

    private static string Describe(HistoryTrend? history, int buckets, int windows)
    {
        var tiers = history is null ? "" : string.Join(" + ", history.Segments.Select(s => s.Tier.ToString().ToLowerInvariant()).Distinct());
        var part = history is null
            ? "no history read"
            : string.Create(CultureInfo.InvariantCulture, $"history {Span(history.To - history.From)} in {Span(history.Step)} buckets{(tiers.Length > 0 ? " (" + tiers + ")" : "")}: {buckets} before the live windows");
        return string.Create(CultureInfo.InvariantCulture, $"Trends: {part}, then {windows} live windows");
    }

    private static string Span(TimeSpan span) => span switch
    {
        { TotalDays: >= 2 } when span.TotalDays == Math.Floor(span.TotalDays) => FormattableString.Invariant($"{span.TotalDays:0} d"),
        { TotalHours: >= 1 } when span.TotalHours == Math.Floor(span.TotalHours) => FormattableString.Invariant($"{span.TotalHours:0} h"),
        { TotalMinutes: >= 1 } when span.TotalMinutes == Math.Floor(span.TotalMinutes) => FormattableString.Invariant($"{span.TotalMinutes:0} min"),
        _ => FormattableString.Invariant($"{span.TotalSeconds:0.#} s"),
    };
}
