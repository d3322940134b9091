using System.CommandLine;
using TwinCluster.Storage;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin db migrate</c>: the same migration the silos apply at start-up.</summary>
public static class DbCommands
{
    public static Command Build()
    {
        var db = new Command("db", "The PostgreSQL database of PostgreSQL mode, directly (--connection), not through a silo or the HTTP API.");
        var migrate = new Command("migrate", "Create or update the schema (idempotent; safe while silos run). Uses --connection or ConnectionStrings__TwinCluster.");
        migrate.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var connection = ctx.Value(GlobalOptions.Connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__TwinCluster")
                ?? throw new UsageException("no database: pass --connection \"Host=...;Database=...;Username=...\" or set ConnectionStrings__TwinCluster");
            PostgresConnection.Validate(connection, "--connection");
            var report = await PostgresMigrator.MigrateAsync(connection, ctx.Json ? null : Console.WriteLine, ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(new { applied = report.Applied, alreadyApplied = report.AlreadyApplied });
            }
            else
            {
                Console.WriteLine($"{report.Applied.Count} script(s) applied, {report.AlreadyApplied.Count} already present.");
            }

            return ExitCodes.Ok;
        }));
        db.Subcommands.Add(migrate);
        db.Subcommands.Add(HistoryMaintenanceCommand.Build());
        return db;
    }
}
