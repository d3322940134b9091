using Npgsql;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Storage.History.Bench;
using Xunit;

namespace TwinCluster.Integration.Tests.History;

/// <summary>
/// A small run of the history benchmark (<c>twin bench history</c>) on a real PostgreSQL: what it wrote through the
/// writer is stored, rolled up, exported and read back in full from each tier. Counts only; its timings are the bench's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HistoryBenchTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_small_bench_run_stores_and_reads_back_every_window_in_each_tier()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync(Ct));
        var cold = Path.Combine(Path.GetTempPath(), "tc-history-bench-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // 20 components, 3 days of a window every 10 min; at the end day 0 and 1 are rolled up and (1 hot day) exported.
            var options = new HistoryBenchOptions { Components = 20, Days = 3, HotDays = 1, SingleTrendRuns = 3, FleetTrendRuns = 2, ColdDirectory = cold };
            var lines = new List<string>();
            var r = await new HistoryBench(dataSource, options, lines.Add).RunAsync(Ct);

            const int PerDay = 144;
            // Component 0 degrades (all 26 values); the other 19 have no RUL (3 NaN values each window).
            const long PointsPerDay = PerDay * (26 + 19 * 23);
            Assert.Equal(26, r.ValuesPerWindow);
            Assert.Equal(20 * 3 * PerDay, r.WindowsFed);
            Assert.Equal(r.WindowsFed, r.WindowsStored);
            Assert.Equal(0, r.Dropped);
            Assert.Equal((2, 2), (r.DaysRolledUp, r.DaysExported));

            Assert.Equal(("hot", 1, 20L * PerDay, PointsPerDay), (r.Hot.Tier, r.Hot.Days, r.Hot.Rows, r.Hot.Points));
            Assert.Equal((20L * PerDay * 2, 20L * 24 * 2, 20L * 2), (r.MinuteRollups, r.HourRollups, r.DayRollups));
            Assert.Equal(r.MinuteRollups + r.HourRollups + r.DayRollups, r.Warm.Rows);
            Assert.Equal(2 * PointsPerDay, r.Warm.Points);
            // The exported files hold every number of the two days, counted by the export itself.
            Assert.Equal(2 * PointsPerDay, r.Cold.Rows);
            Assert.Equal(r.Cold.Rows, r.Cold.Points);
            Assert.Equal(2, Directory.GetFiles(cold, "*.parquet", SearchOption.AllDirectories).Length);
            Assert.All(new[] { r.Hot, r.Warm, r.Cold }, t => Assert.True(t.Bytes > 0 && t.BytesPerPoint > 0, $"{t.Tier}: {t.Bytes} bytes"));

            // Read back: a 3-day hourly trend of one component (warm for the rolled-up days, hot for the last) ...
            Assert.Equal((2, 2 * 3 * 24L, 2 * 3 * PerDay * 1L), (r.SingleTrend.Series, r.SingleTrend.Buckets, r.SingleTrend.Points));
            Assert.Equal("1h", r.SingleTrend.Step);
            Assert.StartsWith("warm 01-01 00:00–01-03 00:00, hot 01-03 00:00–01-04 00:00", r.SingleTrend.Tiers, StringComparison.Ordinal);
            // ... and one day of health for all 20 from each tier: every window once.
            foreach (var (trend, tier) in new[] { (r.FleetTrend, "hot"), (r.FleetTrendWarm, "warm"), (r.FleetTrendCold, "cold") })
            {
                Assert.Equal((20, 20L * PerDay), (trend.Series, trend.Points));
                Assert.StartsWith(tier + " ", trend.Tiers, StringComparison.Ordinal);
                Assert.DoesNotContain(",", trend.Tiers, StringComparison.Ordinal);
            }

            Assert.Contains(lines, l => l.StartsWith("fed 8,640 windows", StringComparison.Ordinal));

            // It refuses a database that has history, so it never rolls up or exports real days.
            var again = await Assert.ThrowsAsync<InvalidOperationException>(() => new HistoryBench(dataSource, options, _ => { }).RunAsync(Ct));
            Assert.Contains("without history", again.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(cold))
            {
                Directory.Delete(cold, recursive: true);
            }
        }
    }
}
