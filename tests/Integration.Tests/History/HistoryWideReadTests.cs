using Npgsql;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Storage.History;
using Xunit;

namespace TwinCluster.Integration.Tests.History;

/// <summary>
/// The two ways the hot and warm tiers answer a trend on a real PostgreSQL: the rows of the selection streamed and
/// bucketed in the process (wide selections) and the buckets grouped in SQL (narrow ones) give the same buckets, and
/// both what the data must give. And a day that warm retention has reached is read from its cold file, not from
/// what is left of its rollups.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HistoryWideReadTests(PostgresFixture postgres) : IDisposable
{
    private static readonly DateTime Day0 = new(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = [HistoryFeatureNames.Health, "temperature", HistoryFeatureNames.Rul, HistoryFeatureNames.VelocityRms];

    private readonly string _cold = Path.Combine(Path.GetTempPath(), "tc-history-wide-" + Guid.NewGuid().ToString("N")[..8]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rows_streamed_and_bucketed_here_give_the_buckets_grouped_in_SQL_in_the_hot_and_the_warm_tier()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync(Ct));
        var options = new HistoryOptions();
        var streamed = new PostgresHistoryStore(dataSource, options) { StreamFromBuckets = 0 };
        var grouped = new PostgresHistoryStore(dataSource, options) { StreamFromBuckets = long.MaxValue };
        var twins = Enumerable.Range(0, 24).Select(i => $"wt-{i / 3:D2}-c{i % 3}").ToArray();
        var data = HistoryData.Generate(twins, Day0, Day0.AddDays(3), TimeSpan.FromMinutes(4));
        Assert.Equal(data.Records.Count, await streamed.WriteAsync(data.Records, Ct));

        // Hot: all twins, and a few with one the store never saw; two layouts (window features, a channel).
        string[] some = [twins[3], twins[17], "wt-99-none"];
        foreach (var (selection, step) in new[] { (twins, TimeSpan.FromMinutes(5)), (twins, TimeSpan.FromSeconds(450)), (some, TimeSpan.FromHours(1)) })
        {
            var trend = await AssertSameAsync(streamed, grouped, selection, Day0.AddHours(3), Day0.AddDays(3), step, HistoryTier.Hot);
            data.AssertTrend(trend, selection, Names, Day0.AddHours(3), Day0.AddDays(3));
        }

        // Warm: days 0 and 1 rolled up; minute, hour and day rollups, and across the boundary to the hot day 2.
        var report = await new PostgresHistoryMaintenance(dataSource, options).RunAsync(Day0.AddDays(2).AddHours(1), cancellationToken: Ct);
        Assert.Equal(2, report.RolledUp.Count);
        foreach (var (selection, step) in new[] { (twins, TimeSpan.FromMinutes(5)), (twins, TimeSpan.FromHours(1)), (some, TimeSpan.FromDays(1)) })
        {
            var trend = await AssertSameAsync(streamed, grouped, selection, Day0, Day0.AddDays(2), step, HistoryTier.Warm);
            data.AssertTrend(trend, selection, Names, Day0, Day0.AddDays(2));
        }

        var across = await AssertSameAsync(streamed, grouped, twins, Day0.AddHours(12), Day0.AddDays(3), TimeSpan.FromMinutes(15), null);
        Assert.Equal(
            [new HistorySegment(Day0.AddHours(12), Day0.AddDays(2), HistoryTier.Warm), new HistorySegment(Day0.AddDays(2), Day0.AddDays(3), HistoryTier.Hot)],
            across.Segments);
        data.AssertTrend(across, twins, Names, Day0.AddHours(12), Day0.AddDays(3));

        // The default streams a fleet-wide day and groups one twin's month in SQL; both say the same as the others.
        var byDefault = new PostgresHistoryStore(dataSource, options);
        await AssertSameAsync(byDefault, grouped, twins, Day0.AddDays(2), Day0.AddDays(3), TimeSpan.FromMinutes(5), HistoryTier.Hot);
        await AssertSameAsync(byDefault, streamed, twins[..1], Day0, Day0.AddDays(3), TimeSpan.FromHours(1), null);
    }

    [Fact]
    public async Task A_day_warm_retention_has_reached_is_read_from_its_cold_file_not_from_what_is_left_of_its_rollups()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync(Ct));
        var options = new HistoryOptions { HotRetention = TimeSpan.FromDays(2), WarmRetention = TimeSpan.FromDays(3), ColdDirectory = _cold };
        var store = new PostgresHistoryStore(dataSource, options);
        string[] twins = ["wt-01-gen-de", "wt-02-gen-de"];
        var data = HistoryData.Generate(twins, Day0, Day0.AddDays(5), TimeSpan.FromMinutes(10));
        await store.WriteAsync(data.Records, Ct);

        // At 01:00 on day 5: days 0-4 roll up; days 0-2 (ended 2 days ago or more) are exported; rollups before
        // day 2 01:00 are deleted, so days 0 and 1 have none left and day 2 misses its first hour.
        var now = Day0.AddDays(5).AddHours(1);
        var report = await new PostgresHistoryMaintenance(dataSource, options).RunAsync(now, cancellationToken: Ct);
        Assert.Equal((5, 3), (report.RolledUp.Count, report.Exported.Count));
        Assert.True(report.WarmRowsDeleted > 0);
        var states = await HistoryPartitionState.LoadAsync(dataSource, DateOnly.MinValue, DateOnly.MaxValue, Ct);
        Assert.Equal([true, true, true, false, false], states.Select(s => s.WarmExpired));

        // Hourly: days 0-2 from Parquet (complete), days 3 and 4 from their rollups.
        var trend = await store.TrendAsync(twins, Names, Day0, Day0.AddDays(5), TimeSpan.FromHours(1), Ct);
        Assert.Equal(
            [new HistorySegment(Day0, Day0.AddDays(3), HistoryTier.Cold), new HistorySegment(Day0.AddDays(3), Day0.AddDays(5), HistoryTier.Warm)],
            trend.Segments);
        data.AssertTrend(trend, twins, Names, Day0, Day0.AddDays(5));

        // Running again marks nothing new and changes no answer.
        await new PostgresHistoryMaintenance(dataSource, options).RunAsync(now, cancellationToken: Ct);
        data.AssertTrend(await store.TrendAsync(twins, Names, Day0, Day0.AddDays(5), TimeSpan.FromHours(1), Ct), twins, Names, Day0, Day0.AddDays(5));
    }

    public void Dispose()
    {
        if (Directory.Exists(_cold))
        {
            Directory.Delete(_cold, recursive: true);
        }
    }

    /// <summary>Asks both stores; asserts the same series and buckets (the mean to rounding: sums add in another order) and returns one.</summary>
    private static async Task<HistoryTrend> AssertSameAsync(
        PostgresHistoryStore a, PostgresHistoryStore b, string[] twins, DateTime from, DateTime to, TimeSpan step, HistoryTier? tier)
    {
        var x = await a.TrendAsync(twins, Names, from, to, step, Ct);
        var y = await b.TrendAsync(twins, Names, from, to, step, Ct);
        Assert.Equal(y.Segments, x.Segments);
        if (tier is { } only)
        {
            Assert.Equal([new HistorySegment(from, to, only)], x.Segments);
        }

        Assert.NotEmpty(x.Series);
        Assert.Equal(y.Series.Select(s => (s.TwinId, s.Name, s.Buckets.Length)), x.Series.Select(s => (s.TwinId, s.Name, s.Buckets.Length)));
        foreach (var (sx, sy) in x.Series.Zip(y.Series))
        {
            foreach (var (bx, by) in sx.Buckets.Zip(sy.Buckets))
            {
                var where = $"{sx.TwinId} {sx.Name} {bx.Start:O}";
                Assert.True((bx.Start, bx.Count, bx.Min, bx.Max, bx.Last, bx.Tier) == (by.Start, by.Count, by.Min, by.Max, by.Last, by.Tier),
                    $"{where}: {bx} streamed, {by} grouped");
                Assert.True(Math.Abs(bx.Mean - by.Mean) <= 1e-9 * Math.Max(1, Math.Abs(by.Mean)), $"{where}: mean {bx.Mean} and {by.Mean}");
            }
        }

        return x;
    }
}
