using System.CommandLine;
using System.Globalization;
using Npgsql;
using TwinCluster.Storage;
using TwinCluster.Storage.History;
using TwinCluster.Storage.History.Bench;

namespace TwinCluster.Cli.Commands;

/// <summary>
/// <c>twin bench history</c>: the history store against a PostgreSQL database of its own (it refuses one that has
/// history): a simulated month of windows through the silo's write path, the maintenance, sizes per tier, trend latency.
/// </summary>
public static class HistoryBenchCommand
{
    public static Command Build()
    {
        var components = new Option<int>("--components") { Description = "Monitored components fed.", DefaultValueFactory = _ => 1000 };
        var days = new Option<int>("--days") { Description = "Simulated days fed.", DefaultValueFactory = _ => 30 };
        var interval = new Option<string>("--interval") { Description = "Simulated time between two windows of a component (1m to 1h).", DefaultValueFactory = _ => "10m" };
        var hotDays = new Option<int>("--hot-days") { Description = "Days left hot at the end; older days are exported to Parquet.", DefaultValueFactory = _ => 20 };
        var cold = new Option<string?>("--cold-dir") { Description = "Where the Parquet files go (default: a temporary directory, deleted at the end)." };
        var singleRuns = new Option<int>("--single-runs") { Description = "Timed 30-day hourly trends of one component.", DefaultValueFactory = _ => 200 };
        var fleetRuns = new Option<int>("--fleet-runs") { Description = "Timed 24-hour trends for all components.", DefaultValueFactory = _ => 20 };
        var command = new Command("history",
            "History store on PostgreSQL (--connection, a database without history): N components × D simulated days of windows through the " +
            "silo's write path, rollup and Parquet export of the closed days, bytes per feature point per tier, trend latency per tier.")
        {
            components, days, interval, hotDays, cold, singleRuns, fleetRuns,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var connection = ctx.Value(GlobalOptions.Connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__TwinCluster")
                ?? throw new UsageException("no database: pass --connection \"Host=...;Database=...;Username=...\" (a database of its own) or set ConnectionStrings__TwinCluster");
            var settings = PostgresConnection.Validate(connection, "--connection");
            // A scan over millions of rollup rows takes longer than the default 30 s on a busy machine.
            settings.CommandTimeout = Math.Max(settings.CommandTimeout, 600);
            var options = new HistoryBenchOptions
            {
                Components = ctx.Value(components),
                Days = ctx.Value(days),
                WindowInterval = HistorySteps.Parse(ctx.Value(interval)) ?? throw new UsageException($"--interval: '{ctx.Value(interval)}' is not a duration (e.g. 10m)"),
                HotDays = ctx.Value(hotDays),
                ColdDirectory = ctx.Value(cold) is { } dir ? Path.GetFullPath(dir) : null,
                SingleTrendRuns = ctx.Value(singleRuns),
                FleetTrendRuns = ctx.Value(fleetRuns),
            };
            if (options.Problems() is { Count: > 0 } problems)
            {
                throw new UsageException(string.Join("; ", problems));
            }

            await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
            // With --json the progress and the table go to stderr, so stdout is the one JSON line.
            Action<string> log = ctx.Json ? Console.Error.WriteLine : Console.WriteLine;
            var r = await new HistoryBench(dataSource, options, log).RunAsync(ct);
            var ok = r.WindowsStored == r.WindowsFed && r.Dropped == 0 && r.Cold.Rows == r.Cold.Points
                && r.Hot.Rows == (long)r.Components * options.WindowsPerDay * r.Hot.Days;
            var writeOk = r.WindowsPerSecond >= r.TargetWindowsPerSecond;
            var text = string.Create(CultureInfo.InvariantCulture, $"""

                | figure ({r.Components:N0} components, {r.Days} simulated days, a window every {HistorySteps.Format(options.WindowInterval)}, {r.ValuesPerWindow} values each) | target | measured |
                |---|---|---|
                | writes through the history writer ({r.WindowsFed:N0} windows) | ≥ {r.TargetWindowsPerSecond:N0} windows/s (the condition bench) | {r.WindowsPerSecond:N0} windows/s = {r.WindowsPerSecond / r.TargetWindowsPerSecond:0.0}× the target{(writeOk ? "" : " (MISSED)")} |
                | the same rows binary-COPYed into a plain table (reference, same run) | — | {r.ReferenceCopyRowsPerSecond:N0} rows/s (the writer does {r.WindowsPerSecond / r.ReferenceCopyRowsPerSecond:0.00}× that) |
                | hot: {r.Hot.Days} day partitions, {r.Hot.Rows:N0} rows, with their key index | — | {r.Hot.BytesPerPoint:0.00} bytes/point ({r.Hot.Bytes / 1e6:N0} MB) |
                | warm: {r.Warm.Days} days rolled up, {r.MinuteRollups:N0} minute + {r.HourRollups:N0} hour + {r.DayRollups:N0} day rows | — | {r.Warm.BytesPerPoint:0.00} bytes/point ({r.Warm.Bytes / 1e6:N0} MB; minute {r.WarmMinuteBytesPerPoint:0.00}, hour {r.WarmHourBytesPerPoint:0.00}, day {r.WarmDayBytesPerPoint:0.00}) |
                | cold: {r.Cold.Days} days in Parquet, {r.Cold.Rows:N0} points | — | {r.Cold.BytesPerPoint:0.00} bytes/point ({r.Cold.Bytes / 1e6:N0} MB) |
                | maintenance: {r.DaysRolledUp} rollups + {r.DaysExported} exports | — | {r.MaintenanceSeconds:0.0} s |
                | {r.SingleTrend.What} p50 / p99 | p99 < 100 ms | {r.SingleTrend.P50Ms:0.0} / {r.SingleTrend.P99Ms:0.0} ms{(r.SingleTrend.P99Ms < 100 ? "" : " (MISSED)")} ({r.SingleTrend.Tiers}) |
                | {r.FleetTrend.What} p50 / p99 | < 1 s | {r.FleetTrend.P50Ms:0} / {r.FleetTrend.P99Ms:0} ms{(r.FleetTrend.P99Ms < 1000 ? "" : " (MISSED)")} ({r.FleetTrend.Tiers}, step {r.FleetTrend.Step}) |
                | {r.FleetTrendWarm.What} p50 / p99 | — | {r.FleetTrendWarm.P50Ms:0} / {r.FleetTrendWarm.P99Ms:0} ms ({r.FleetTrendWarm.Tiers}, step {r.FleetTrendWarm.Step}) |
                | {r.FleetTrendCold.What} p50 / p99 | — | {r.FleetTrendCold.P50Ms:0} / {r.FleetTrendCold.P99Ms:0} ms ({r.FleetTrendCold.Tiers}, step {r.FleetTrendCold.Step}) |
                | {r.FleetTrendGrouped.What} p50 / p99 | — | {r.FleetTrendGrouped.P50Ms:0} / {r.FleetTrendGrouped.P99Ms:0} ms (streamed: {r.FleetTrend.P99Ms / r.FleetTrendGrouped.P99Ms:0.00}× its p99; {r.FleetTrendGrouped.Buckets:N0} buckets, {r.FleetTrendGrouped.Points:N0} points, streamed {r.FleetTrend.Buckets:N0}, {r.FleetTrend.Points:N0}) |
                | {r.FleetTrendWarmGrouped.What} p50 / p99 | — | {r.FleetTrendWarmGrouped.P50Ms:0} / {r.FleetTrendWarmGrouped.P99Ms:0} ms (streamed: {r.FleetTrendWarm.P99Ms / r.FleetTrendWarmGrouped.P99Ms:0.00}× its p99; {r.FleetTrendWarmGrouped.Buckets:N0} buckets, {r.FleetTrendWarmGrouped.Points:N0} points, streamed {r.FleetTrendWarm.Buckets:N0}, {r.FleetTrendWarm.Points:N0}) |
                """);
            (ctx.Json ? Console.Error : Console.Out).WriteLine(text);
            if (ctx.Json)
            {
                CliContext.WriteJson(r);
            }

            if (!ok)
            {
                Console.Error.WriteLine($"history bench: stored {r.WindowsStored:N0} of {r.WindowsFed:N0} windows ({r.Dropped:N0} dropped), {r.Hot.Rows:N0} hot rows, {r.Cold.Rows:N0} of {r.Cold.Points:N0} cold points");
            }

            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
