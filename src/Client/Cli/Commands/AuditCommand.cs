using System.CommandLine;
using Spectre.Console;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin audit</c>: who did what, newest first (<c>GET /api/v1/audit</c>, admin).</summary>
public static class AuditCommand
{
    public static Command Build()
    {
        var twin = new Option<string?>("--twin") { Description = "Only entries about this twin." };
        var by = new Option<string?>("--by") { Description = "Only entries of this principal (e.g. token:ci, gateway:alice)." };
        var since = new Option<string?>("--since") { Description = "From this time (ISO 8601) or this long ago (1h, 7d)." };
        var limit = new Option<int>("--limit") { Description = "At most this many entries.", DefaultValueFactory = _ => 100 };
        var command = new Command("audit", "The audit log: principal, time, operation, target, outcome.") { twin, by, since, limit };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            DateTimeOffset? from = ctx.Value(since) is { } text ? SecurityCliText.ParseSince(text, "--since") : null;
            if (ctx.Value(limit) is < 1 or > 10_000)
            {
                throw new UsageException($"--limit {ctx.Value(limit)} must be between 1 and 10000");
            }

            using var api = ctx.Api();
            var entries = await api.AuditAsync(ctx.Value(twin), ctx.Value(by), from, ctx.Value(limit), ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(entries);
                return ExitCodes.Ok;
            }

            if (entries.IsEmpty)
            {
                Console.WriteLine("No audit entries.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("time", "principal", "operation", "target", "outcome", "detail");
            foreach (var e in entries)
            {
                table.AddRow(e.Time.ToString("u"), Markup.Escape(e.Principal), e.Operation, Markup.Escape(e.Target), e.Outcome, Markup.Escape(e.Detail ?? ""));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
