using System.Collections.Immutable;
using TwinCluster.Dashboard.Services;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Tests.Components;

/// <summary>The condition page's trends: history buckets before the live windows, the live windows at full resolution.</summary>
public sealed class ConditionTrendsTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

    private static HistoryTrend History(TimeSpan step, int buckets, params string[] names) => new(
        T0, T0 + step * buckets, step,
        [.. names.Select(n => new HistorySeries("b1", n,
            [.. Enumerable.Range(0, buckets).Select(i => new HistoryBucket(T0 + step * i, i == 2 ? 0 : 10, i, i + 2, i + 1, i + 1.5, HistoryTier.Hot))]))],
        [new HistorySegment(T0, T0 + step * buckets, HistoryTier.Hot)]);

    private static ImmutableArray<ConditionTrendPoint> Live(DateTime from, int windows) =>
        [.. Enumerable.Range(0, windows).Select(i => new ConditionTrendPoint(from.AddSeconds(i), 100 + i, 3 + i, 0.9 - i / 100.0))];

    [Fact]
    public void History_buckets_that_end_before_the_first_live_window_come_first_then_every_live_window()
    {
        var step = TimeSpan.FromMinutes(1);
        var history = History(step, 10, "velocityRms", "kurtosis", "health");
        // Live windows start 6.5 minutes in: buckets 0..5 end by then (bucket 2 is empty), 6..9 overlap the live span.
        var live = Live(T0.AddMinutes(6.5), 5);

        var trends = ConditionTrends.Merge(history, live);

        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(3), T0.AddMinutes(4), T0.AddMinutes(5)], trends.VelocityRms.Take(5).Select(p => p.At));
        Assert.Equal(new TrendPoint(T0.AddMinutes(1), 2, 1, 3), trends.VelocityRms[1]);   // mean, min, max of the bucket
        Assert.Equal(live.Select(p => p.At), trends.VelocityRms.Skip(5).Select(p => p.At));
        Assert.Equal(live.Select(p => p.VelocityRms), trends.VelocityRms.Skip(5).Select(p => p.Value));
        Assert.Equal(live.Select(p => p.Kurtosis), trends.Kurtosis.Skip(5).Select(p => p.Value));
        Assert.Equal(live.Select(p => p.Health), trends.Health.Skip(5).Select(p => p.Value));
        Assert.Contains("history 10 min in 1 min buckets (hot): 5 before the live windows, then 5 live windows", trends.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_live_windows_the_history_is_the_trend_and_without_history_the_live_windows_are()
    {
        var history = History(TimeSpan.FromHours(1), 24, "velocityRms", "health");
        var onlyHistory = ConditionTrends.Merge(history, []);
        Assert.Equal(23, onlyHistory.VelocityRms.Length);   // 24 buckets, one empty
        Assert.Empty(onlyHistory.Kurtosis);                  // a name the history has no series of

        var live = Live(T0, 3);
        var onlyLive = ConditionTrends.Merge(null, live);
        Assert.Equal(live.Select(p => p.Health), onlyLive.Health.Select(p => p.Value));
        Assert.StartsWith("Trends: no history read", onlyLive.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void History_is_read_again_only_when_the_live_span_has_moved_past_it()
    {
        var history = History(TimeSpan.FromMinutes(1), 10, "velocityRms");   // up to T0 + 10 min
        Assert.False(ConditionTrends.NeedsHistory(history, Live(T0.AddMinutes(5), 600)));
        Assert.True(ConditionTrends.NeedsHistory(history, Live(T0.AddMinutes(11), 600)));
        Assert.False(ConditionTrends.NeedsHistory(null, Live(T0.AddMinutes(11), 600)));   // none to refresh (it failed or was not asked)
        Assert.False(ConditionTrends.NeedsHistory(history, []));
    }

    [Fact]
    public void The_query_asks_the_three_features_over_the_range_up_to_now_and_lets_the_store_choose_the_step()
    {
        var now = new DateTimeOffset(T0);
        var query = ConditionTrends.Query("b1", TimeSpan.FromDays(7), now);
        Assert.Equal(("b1", now.AddDays(-7), now, (TimeSpan?)null), (query.TwinId, query.From, query.To, query.Step));
        Assert.Equal(["velocityRms", "kurtosis", "health"], query.Names);
        Assert.Null(query.SubtreeId);
    }
}
