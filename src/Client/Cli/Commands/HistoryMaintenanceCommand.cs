using System.CommandLine;
using Npgsql;
using TwinCluster.Storage;
using TwinCluster.Storage.History;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin db history-maintain</c>: the silo's history maintenance, run once from here (cron, or after an outage).</summary>
public static class HistoryMaintenanceCommand
{
    public static Command Build()
    {
        var now = new Option<string>("--now") { Description = "Act as if it were this time (ISO 8601); default the clock.", DefaultValueFactory = _ => "now" };
        var hot = new Option<string>("--hot-retention") { Description = "Keep full-resolution rows this long (e.g. 30d).", DefaultValueFactory = _ => "30d" };
        var warm = new Option<string>("--warm-retention") { Description = "Keep rollups this long (e.g. 730d).", DefaultValueFactory = _ => "730d" };
        var cold = new Option<string?>("--cold-dir") { Description = "Export expired days to Parquet files here (else they are dropped)." };
        var closeAfter = new Option<string>("--close-after") { Description = "Roll a day up this long after it ends.", DefaultValueFactory = _ => "15m" };
        var pause = new Option<string?>("--pause-before-commit") { Description = "Wait this long before each rollup or export commits (for crash tests)." };
        var command = new Command("history-maintain", "Roll up closed history days, export or drop days past the hot retention, expire rollups. Safe to rerun; one process at a time.")
        {
            now, hot, warm, cold, closeAfter, pause,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var connection = ctx.Value(GlobalOptions.Connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__TwinCluster")
                ?? throw new UsageException("no database: pass --connection \"Host=...;Database=...;Username=...\" or set ConnectionStrings__TwinCluster");
            PostgresConnection.Validate(connection, "--connection");
            var options = new HistoryOptions
            {
                HotRetention = Duration(ctx.Value(hot), "--hot-retention"),
                WarmRetention = Duration(ctx.Value(warm), "--warm-retention"),
                CloseAfter = Duration(ctx.Value(closeAfter), "--close-after"),
                ColdDirectory = ctx.Value(cold) is { } dir ? Path.GetFullPath(dir) : null,
            };
            if (options.Problems() is { Count: > 0 } problems)
            {
                throw new UsageException(string.Join("; ", problems));
            }

            var at = HistoryTime.Parse(ctx.Value(now), DateTimeOffset.UtcNow, "--now");
            await using var dataSource = NpgsqlDataSource.Create(connection);
            var maintenance = new PostgresHistoryMaintenance(dataSource, options);
            if (ctx.Value(pause) is { } p)
            {
                var wait = Duration(p, "--pause-before-commit");
                maintenance.BeforeCommit = async (what, token) =>
                {
                    Console.WriteLine($"paused before commit of {what}");
                    await Task.Delay(wait, token);
                };
            }

            var report = await maintenance.RunAsync(at.UtcDateTime, ctx.Json ? null : Console.WriteLine, ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(report);
            }

            return report.Ran ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static TimeSpan Duration(string text, string option) =>
        HistorySteps.Parse(text) ?? throw new UsageException($"{option}: '{text}' is not a duration (e.g. 30d, 12h, 15m)");
}
