using Npgsql;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Storage.History;
using Xunit;

namespace TwinCluster.Integration.Tests.History;

/// <summary>
/// The PostgreSQL history store on a real server: trends from the hot tier, from warm rollups after a rollup, from
/// Parquet after an export, and across a boundary between tiers, each bucket compared with what the data must give;
/// retention drops exactly the days it should.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HistoryTierTests(PostgresFixture postgres) : IDisposable
{
    private static readonly DateTime Day0 = new(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Twins = ["wt-01-gen-de", "wt-01-gen-nde", "wt-02-gen-de"];
    private static readonly string[] Names = [HistoryFeatureNames.VelocityRms, HistoryFeatureNames.Health, HistoryFeatureNames.Rul, "temperature"];

    private readonly string _cold = Path.Combine(Path.GetTempPath(), "tc-history-" + Guid.NewGuid().ToString("N")[..8]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_trend_from_the_hot_tier_holds_every_point_once()
    {
        await using var db = await Open();
        var data = HistoryData.Generate(Twins, Day0, Day0.AddDays(2), TimeSpan.FromMinutes(7));
        Assert.Equal(data.Records.Count, await db.Store.WriteAsync(data.Records, Ct));
        // A replayed batch (a twin re-analysing after a crash) stores nothing new.
        Assert.Equal(0, await db.Store.WriteAsync(data.Records.Take(100).ToList(), Ct));

        var trend = await db.Store.TrendAsync(Twins, Names, Day0, Day0.AddDays(2), TimeSpan.FromHours(1), Ct);
        Assert.Equal([new HistorySegment(Day0, Day0.AddDays(2), HistoryTier.Hot)], trend.Segments);
        data.AssertTrend(trend, Twins, Names, Day0, Day0.AddDays(2));
        Assert.Equal(48, trend.Series.Single(s => s.TwinId == Twins[0] && s.Name == HistoryFeatureNames.VelocityRms).Buckets.Length);
    }

    [Fact]
    public async Task After_a_rollup_the_trend_comes_from_the_warm_tier_and_says_the_same()
    {
        await using var db = await Open();
        var data = HistoryData.Generate(Twins, Day0, Day0.AddDays(3), TimeSpan.FromMinutes(7));
        await db.Store.WriteAsync(data.Records, Ct);
        var hot = await db.Store.TrendAsync(Twins, Names, Day0, Day0.AddDays(3), TimeSpan.FromHours(1), Ct);

        // Day 0 and 1 are closed at 00:30 on day 3 (with the default 15 min grace); day 2 is still open.
        var report = await db.Maintenance.RunAsync(Day0.AddDays(2).AddMinutes(30), cancellationToken: Ct);
        Assert.Equal([DateOnly.FromDateTime(Day0), DateOnly.FromDateTime(Day0.AddDays(1))], report.RolledUp);

        var trend = await db.Store.TrendAsync(Twins, Names, Day0, Day0.AddDays(3), TimeSpan.FromHours(1), Ct);
        Assert.Equal(
            [new HistorySegment(Day0, Day0.AddDays(2), HistoryTier.Warm), new HistorySegment(Day0.AddDays(2), Day0.AddDays(3), HistoryTier.Hot)],
            trend.Segments);
        data.AssertTrend(trend, Twins, Names, Day0, Day0.AddDays(3));
        Assert.Equal(hot.Series.Select(s => s.Buckets.Length), trend.Series.Select(s => s.Buckets.Length));

        // Daily and 15-minute steps use the day and minute rollups.
        data.AssertTrend(await db.Store.TrendAsync(Twins, Names, Day0, Day0.AddDays(2), TimeSpan.FromDays(1), Ct), Twins, Names, Day0, Day0.AddDays(2));
        data.AssertTrend(await db.Store.TrendAsync(Twins, Names, Day0, Day0.AddDays(1), TimeSpan.FromMinutes(15), Ct), Twins, Names, Day0, Day0.AddDays(1));
        // A second run finds nothing to do.
        Assert.Empty((await db.Maintenance.RunAsync(Day0.AddDays(2).AddMinutes(30), cancellationToken: Ct)).RolledUp);
    }

    [Fact]
    public async Task After_an_export_the_trend_comes_from_parquet_and_across_the_boundary_to_the_hot_tier()
    {
        await using var db = await Open(new HistoryOptions { HotRetention = TimeSpan.FromDays(2), ColdDirectory = _cold });
        var data = HistoryData.Generate(Twins, Day0, Day0.AddDays(4), TimeSpan.FromMinutes(11));
        await db.Store.WriteAsync(data.Records, Ct);

        // At 01:00 on day 4: days 0-3 roll up; days 0 and 1 (ended 2 days ago or more) are exported and dropped.
        var report = await db.Maintenance.RunAsync(Day0.AddDays(4).AddHours(1), cancellationToken: Ct);
        Assert.Equal(4, report.RolledUp.Count);
        Assert.Equal([DateOnly.FromDateTime(Day0), DateOnly.FromDateTime(Day0.AddDays(1))], report.Exported);
        Assert.Equal([HistoryPartitions.NameOf(DateOnly.FromDateTime(Day0.AddDays(2))), HistoryPartitions.NameOf(DateOnly.FromDateTime(Day0.AddDays(3)))],
            await HistoryData.PartitionsAsync(db.DataSource));
        Assert.True(File.Exists(Path.Combine(_cold, HistoryPartitions.ColdFileOf(DateOnly.FromDateTime(Day0)))));

        // A step of 7.5 minutes is no whole rollup resolution: the exported days answer from Parquet at full
        // resolution, the hot day from its partition.
        var step = TimeSpan.FromSeconds(450);
        var trend = await db.Store.TrendAsync(Twins, Names, Day0.AddHours(12), Day0.AddDays(3), step, Ct);
        Assert.Equal(
            [new HistorySegment(Day0.AddHours(12), Day0.AddDays(2), HistoryTier.Cold), new HistorySegment(Day0.AddDays(2), Day0.AddDays(3), HistoryTier.Hot)],
            trend.Segments);
        data.AssertTrend(trend, Twins, Names, Day0.AddHours(12), Day0.AddDays(3));

        // Hourly: warm rollups answer every day (the rollups outlive the hot rows).
        var hourly = await db.Store.TrendAsync(Twins, Names, Day0, Day0.AddDays(4), TimeSpan.FromHours(1), Ct);
        Assert.Equal([new HistorySegment(Day0, Day0.AddDays(4), HistoryTier.Warm)], hourly.Segments);
        data.AssertTrend(hourly, Twins, Names, Day0, Day0.AddDays(4));

        // A row that arrives late for an exported day is refused, not stored in a partition made again.
        Assert.Equal(0, await db.Store.WriteAsync([data.Records[0] with { TimeUtc = Day0.AddMinutes(1) }], Ct));
        Assert.Equal(2, (await HistoryData.PartitionsAsync(db.DataSource)).Count);
    }

    [Fact]
    public async Task Retention_drops_exactly_the_days_past_it_and_the_rollups_past_theirs()
    {
        await using var db = await Open(new HistoryOptions { HotRetention = TimeSpan.FromDays(5), WarmRetention = TimeSpan.FromDays(8) });
        var data = HistoryData.Generate(Twins[..1], Day0, Day0.AddDays(10), TimeSpan.FromMinutes(30));
        await db.Store.WriteAsync(data.Records, Ct);
        var now = Day0.AddDays(10).AddHours(12);

        var report = await db.Maintenance.RunAsync(now, cancellationToken: Ct);

        // Hot: a day goes when its end is at least 5 days old: days 0-4 end by day 5 (now - 5 d = day 5 12:00).
        Assert.Equal(Enumerable.Range(0, 5).Select(d => DateOnly.FromDateTime(Day0.AddDays(d))), report.Dropped);
        Assert.Equal(Enumerable.Range(5, 5).Select(d => HistoryPartitions.NameOf(DateOnly.FromDateTime(Day0.AddDays(d)))), await HistoryData.PartitionsAsync(db.DataSource));
        // Warm: rollup buckets before now - 8 d (day 2 12:00) are gone, those after stay.
        Assert.Equal(0, await HistoryData.ScalarAsync(db.DataSource, $"SELECT count(*) FROM history_rollup WHERE bucket < '{now.AddDays(-8):O}'"));
        Assert.Equal(2 * 12, await HistoryData.ScalarAsync(db.DataSource,
            $"SELECT count(*) FROM history_rollup WHERE resolution = 3600 AND bucket >= '{now.AddDays(-8):O}' AND bucket < '{Day0.AddDays(3):O}'"));
        Assert.True(await HistoryData.ScalarAsync(db.DataSource, $"SELECT count(*) FROM history_rollup WHERE resolution = 86400 AND bucket = '{Day0.AddDays(3):O}'") == 2);
        // What is left still answers: the hot days fully, the warm-only days from rollups.
        data.AssertTrend(await db.Store.TrendAsync(Twins[..1], Names, Day0.AddDays(3), Day0.AddDays(10), TimeSpan.FromHours(1), Ct),
            Twins[..1], Names, Day0.AddDays(3), Day0.AddDays(10));
    }

    [Fact]
    public async Task An_unknown_name_is_refused_naming_it()
    {
        await using var db = await Open();
        await db.Store.WriteAsync(HistoryData.Generate(Twins[..1], Day0, Day0.AddHours(1), TimeSpan.FromMinutes(5)).Records, Ct);
        var error = await Assert.ThrowsAsync<TwinOperationException>(() =>
            db.Store.TrendAsync(Twins[..1], ["velocityRms", "velocityRMS", "bogus"], Day0, Day0.AddHours(1), TimeSpan.FromMinutes(5), Ct));
        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Contains("'velocityRMS', 'bogus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("temperature", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_cold))
        {
            Directory.Delete(_cold, recursive: true);
        }
    }

    private async Task<Db> Open(HistoryOptions? options = null)
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync(Ct);
        options ??= new HistoryOptions();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return new Db(dataSource, new PostgresHistoryStore(dataSource, options), new PostgresHistoryMaintenance(dataSource, options), connectionString);
    }

    internal sealed record Db(NpgsqlDataSource DataSource, PostgresHistoryStore Store, PostgresHistoryMaintenance Maintenance, string ConnectionString) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => DataSource.DisposeAsync();
    }
}
