using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Storage.History;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin history</c>: trends of condition features and channels, and a twin's changes.</summary>
public static class HistoryCommands
{
    public static Command Build()
    {
        var twin = new Argument<string?>("twin") { Description = "The twin (or use --subtree/--model).", Arity = ArgumentArity.ZeroOrOne };
        var names = new Option<string?>("--names", "-n") { Description = "Features or channels, comma-separated, e.g. velocityRms,health,temperature." };
        var from = new Option<string>("--from") { Description = "Start: ISO 8601 (UTC unless an offset is given), 'now' or '-30d'.", DefaultValueFactory = _ => "-24h" };
        var to = new Option<string>("--to") { Description = "End (exclusive), as --from.", DefaultValueFactory = _ => "now" };
        var step = new Option<string?>("--step") { Description = "Bucket width (e.g. 1h, 15m, 1d); chosen from the range if not given." };
        var subtree = new Option<string?>("--subtree") { Description = "Every twin under this twin (through contains)." };
        var model = new Option<string?>("--model") { Description = "Every twin of this model or one extending it." };
        var changes = new Option<bool>("--changes") { Description = "List the twin's changes in the range instead of a trend." };
        var command = new Command("history", "What twins saw: a bucketed trend of features or channels, or a twin's changes, from the best history tier.")
        {
            twin, names, from, to, step, subtree, model, changes,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var start = HistoryTime.Parse(ctx.Value(from), now, "--from");
            var end = HistoryTime.Parse(ctx.Value(to), now, "--to");
            TimeSpan? width = ctx.Value(step) is { } s
                ? HistorySteps.Parse(s) ?? throw new UsageException($"--step: '{s}' is not a duration (e.g. 30s, 15m, 1h, 1d)")
                : null;
            using var api = ctx.Api();
            if (ctx.Value(changes))
            {
                var id = ctx.Value(twin) ?? throw new UsageException("--changes needs a twin");
                PrintChanges(ctx, await api.HistoryChangesAsync(CliContext.TwinIdArgument(id), start, end, ct));
                return ExitCodes.Ok;
            }

            var list = (ctx.Value(names) ?? throw new UsageException("--names: give at least one feature or channel, e.g. --names velocityRms,health"))
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var query = new HistoryTrendQuery(ctx.Value(twin), ctx.Value(subtree), ctx.Value(model), [.. list], start, end, width);
            PrintTrend(ctx, await api.TrendAsync(query, ct));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void PrintTrend(CliContext ctx, HistoryTrend trend)
    {
        if (ctx.Json)
        {
            CliContext.WriteJson(new
            {
                from = trend.From,
                to = trend.To,
                stepSeconds = trend.Step.TotalSeconds,
                segments = trend.Segments.Select(s => new { from = s.From, to = s.To, tier = s.Tier }),
                series = trend.Series.Select(s => new
                {
                    twin = s.TwinId,
                    name = s.Name,
                    buckets = s.Buckets.Select(b => new { start = b.Start, count = b.Count, min = b.Min, max = b.Max, mean = b.Mean, last = b.Last, tier = b.Tier }),
                }),
            });
            return;
        }

        var ci = CultureInfo.InvariantCulture;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{trend.From:u} .. {trend.To:u}, step {HistorySteps.Format(trend.Step)}; " +
            (trend.Segments.Length == 0 ? "no history in this range" : string.Join(", ", trend.Segments.Select(s => $"{s.Tier} {s.From:u}..{s.To:u}")))));
        foreach (var series in trend.Series)
        {
            var table = new Table().Title(Markup.Escape($"{series.TwinId} {series.Name}"));
            foreach (var column in new[] { "start", "count", "min", "max", "mean", "last", "tier" })
            {
                table.AddColumn(column);
            }

            foreach (var b in series.Buckets)
            {
                table.AddRow(b.Start.ToString("u", ci), b.Count.ToString(ci), b.Min.ToString("G5", ci), b.Max.ToString("G5", ci),
                    b.Mean.ToString("G5", ci), b.Last.ToString("G5", ci), b.Tier.ToString());
            }

            AnsiConsole.Write(table);
        }
    }

    private static void PrintChanges(CliContext ctx, IReadOnlyList<HistoryChange> changes)
    {
        if (ctx.Json)
        {
            CliContext.WriteJson(changes.Select(c => new
            {
                twin = c.TwinId,
                at = c.At,
                operation = c.Operation,
                principal = c.Principal,
                before = c.BeforeJson is null ? (JsonElement?)null : JsonDocument.Parse(c.BeforeJson).RootElement,
                after = c.AfterJson is null ? (JsonElement?)null : JsonDocument.Parse(c.AfterJson).RootElement,
            }));
            return;
        }

        var table = new Table().AddColumn("at").AddColumn("operation").AddColumn("by").AddColumn("after");
        foreach (var c in changes)
        {
            table.AddRow(c.At.ToString("O", CultureInfo.InvariantCulture), c.Operation, Markup.Escape(c.Principal ?? "-"), Markup.Escape(c.AfterJson ?? "(deleted)"));
        }

        AnsiConsole.Write(table);
    }
}
