using System.Diagnostics;
using Npgsql;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Storage.History;
using Xunit;

namespace TwinCluster.Integration.Tests.History;

/// <summary>
/// kill -9 of the process running a rollup or an export, at the worst moment (everything written, the commit next):
/// nothing is half done, and running it again gives exactly the trend the data must give, nothing lost or doubled.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HistoryCrashTests(PostgresFixture postgres) : IDisposable
{
    private static readonly DateTime Day0 = new(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Twins = ["wt-01-gen-de", "wt-02-gen-de"];
    private static readonly string[] Names = [HistoryFeatureNames.VelocityRms, HistoryFeatureNames.Health, HistoryFeatureNames.Rul, "temperature"];

    private readonly string _cold = Path.Combine(Path.GetTempPath(), "tc-history-crash-" + Guid.NewGuid().ToString("N")[..8]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rollup_killed_before_its_commit_is_redone_once()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var dataSource = NpgsqlDataSource.Create(db);
        var store = new PostgresHistoryStore(dataSource, new HistoryOptions());
        var data = HistoryData.Generate(Twins, Day0, Day0.AddDays(2), TimeSpan.FromMinutes(3));
        await store.WriteAsync(data.Records, Ct);
        var now = Day0.AddDays(2).AddHours(1).ToString("O");

        await RunAndKillAsync(db, ["--now", now], "paused before commit of rollup");
        Assert.Equal(0, await HistoryData.ScalarAsync(dataSource, "SELECT count(*) FROM history_rollup"));
        Assert.Equal(0, await HistoryData.ScalarAsync(dataSource, "SELECT count(*) FROM history_partition WHERE rolled_up_at IS NOT NULL"));

        var again = await CliProcess.RunAsync(["--connection", db, "db", "history-maintain", "--now", now]);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Contains("Rolled up 2026-09-01", again.Out, StringComparison.Ordinal);
        Assert.Contains("Rolled up 2026-09-02", again.Out, StringComparison.Ordinal);

        var trend = await store.TrendAsync(Twins, Names, Day0, Day0.AddDays(2), TimeSpan.FromHours(1), Ct);
        Assert.Equal([new HistorySegment(Day0, Day0.AddDays(2), HistoryTier.Warm)], trend.Segments);
        data.AssertTrend(trend, Twins, Names, Day0, Day0.AddDays(2));
        // Each resolution counts every window exactly once.
        var windows = data.Records.Count(r => r.Source.Length > 0);
        foreach (var resolution in new[] { 60, 3600, 86400 })
        {
            Assert.Equal(windows, await HistoryData.ScalarAsync(dataSource,
                $"SELECT sum(r.n[1]) FROM history_rollup r JOIN history_layout l USING (layout_id) WHERE l.source <> '' AND r.resolution = {resolution}"));
        }
    }

    [Fact]
    public async Task An_export_killed_before_its_commit_leaves_the_day_hot_and_is_redone_once()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var dataSource = NpgsqlDataSource.Create(db);
        var options = new HistoryOptions { HotRetention = TimeSpan.FromDays(1), ColdDirectory = _cold };
        var store = new PostgresHistoryStore(dataSource, options);
        var data = HistoryData.Generate(Twins, Day0, Day0.AddDays(3), TimeSpan.FromMinutes(3));
        await store.WriteAsync(data.Records, Ct);
        // Roll everything up first (nothing has expired yet), so the killed run's first commit is the export.
        await new PostgresHistoryMaintenance(dataSource, new HistoryOptions()).RunAsync(Day0.AddDays(3).AddHours(1), cancellationToken: Ct);
        string[] args = ["--now", Day0.AddDays(3).AddHours(1).ToString("O"), "--hot-retention", "1d", "--cold-dir", _cold];

        await RunAndKillAsync(db, args, "paused before commit of export 2026-09-01");
        Assert.Equal(3, (await HistoryData.PartitionsAsync(dataSource)).Count);
        Assert.Equal(0, await HistoryData.ScalarAsync(dataSource, "SELECT count(*) FROM history_partition WHERE exported_at IS NOT NULL OR dropped_at IS NOT NULL"));
        var step = TimeSpan.FromSeconds(450);
        var hot = await store.TrendAsync(Twins, Names, Day0, Day0.AddDays(3), step, Ct);
        Assert.Equal(HistoryTier.Hot, Assert.Single(hot.Segments).Tier);
        data.AssertTrend(hot, Twins, Names, Day0, Day0.AddDays(3));

        var again = await CliProcess.RunAsync(["--connection", db, "db", "history-maintain", .. args]);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Contains("Exported 2026-09-01", again.Out, StringComparison.Ordinal);
        Assert.Contains("Exported 2026-09-02", again.Out, StringComparison.Ordinal);
        Assert.Equal([HistoryPartitions.NameOf(DateOnly.FromDateTime(Day0.AddDays(2)))], await HistoryData.PartitionsAsync(dataSource));
        Assert.Equal(2, Directory.GetFiles(_cold, "*.parquet", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFiles(_cold, "*.tmp", SearchOption.AllDirectories));

        var cold = await store.TrendAsync(Twins, Names, Day0, Day0.AddDays(3), step, Ct);
        Assert.Equal([HistoryTier.Cold, HistoryTier.Hot], cold.Segments.Select(s => s.Tier));
        data.AssertTrend(cold, Twins, Names, Day0, Day0.AddDays(3));
        var points = data.Records.Where(r => r.TimeUtc < Day0.AddDays(2)).Sum(r => r.Values.Count(v => !float.IsNaN(v)));
        Assert.Equal(points, await HistoryData.ScalarAsync(dataSource, "SELECT sum(cold_points) FROM history_partition"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_cold))
        {
            Directory.Delete(_cold, recursive: true);
        }
    }

    /// <summary>Starts <c>twin db history-maintain</c> with a pause before each commit and kills it (SIGKILL) at the line.</summary>
    private static async Task RunAndKillAsync(string db, IEnumerable<string> args, string line)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[CliProcess.Dll, "--connection", db, "db", "history-maintain", .. args, "--pause-before-commit", "120s"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var seen = new List<string>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } text)
            {
                seen.Add(text);
                if (text.StartsWith(line, StringComparison.Ordinal))
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(Ct);
                    Assert.NotEqual(0, process.ExitCode);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.Fail($"never saw '{line}'; output:\n{string.Join('\n', seen)}\n{await process.StandardError.ReadToEndAsync(Ct)}");
    }
}
