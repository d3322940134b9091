using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using System.Collections.Immutable;
using TwinCluster.Cli.Http;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin telemetry show</c> and <c>twin deadletters list</c>.</summary>
public static class TelemetryCommands
{
    public static IEnumerable<Command> Build() => [Telemetry(), DeadLetters()];

    private static Command Telemetry()
    {
        var telemetry = new Command("telemetry", "Telemetry as the twins applied it.");
        var twin = new Argument<string>("id") { Description = "Twin id." };
        var show = new Command("show", "What a twin applied: counts, last seq, latest reading per channel, delays.") { twin };
        show.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var status = await api.TelemetryAsync(CliContext.TwinIdArgument(ctx.Value(twin)), ct);
            var latest = status.Latest ?? ImmutableDictionary<string, TelemetryReading>.Empty;
            if (ctx.Json)
            {
                CliContext.WriteJson(new
                {
                    status.Applied,
                    status.LastSeq,
                    status.FilledFromLog,
                    status.DuplicatesIgnored,
                    status.Skipped,
                    status.Refused,
                    status.Condition,
                    status.Health,
                    status.Alert,
                    status.Samples,
                    status.LastAppliedAt,
                    Latest = latest,
                    applyDelayMs = new { p50 = status.ApplyDelayP50Ms, p99 = status.ApplyDelayP99Ms, count = status.ApplyDelayCount },
                    endToEndDelayMs = new { p50 = status.EndToEndP50Ms, p99 = status.EndToEndP99Ms, count = status.EndToEndCount },
                });
                return ExitCodes.Ok;
            }

            Console.WriteLine($"{ctx.Value(twin)}: {status.Applied} messages applied (last seq {status.LastSeq}), {status.Samples} samples; " +
                $"{status.FilledFromLog} filled from the log, {status.DuplicatesIgnored} duplicates ignored, {status.Skipped} seqs skipped");
            if (status.Condition is { } condition)
            {
                Console.WriteLine("condition: " + condition);
            }

            if (status.ApplyDelayCount > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ingress→twin delay p50 {status.ApplyDelayP50Ms:0.0} ms, p99 {status.ApplyDelayP99Ms:0.0} ms over {status.ApplyDelayCount} live messages since activation"));
            }

            var table = new Table().AddColumns("channel", "value", "unit", "samples", "seq", "timestamp");
            foreach (var (name, reading) in latest.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape(name), reading.Value.ToString("G6", CultureInfo.InvariantCulture) + (reading.Samples > 1 ? " (RMS)" : ""),
                    Markup.Escape(reading.Unit ?? ""), reading.Samples.ToString(CultureInfo.InvariantCulture),
                    reading.Seq.ToString(CultureInfo.InvariantCulture), reading.Timestamp.ToString("O", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        telemetry.Subcommands.Add(show);
        return telemetry;
    }

    private static Command DeadLetters()
    {
        var deadLetters = new Command("deadletters", "Telemetry the ingress refused, with the reason.");
        var twin = new Option<string?>("--twin") { Description = "Only this twin's." };
        var reason = new Option<string?>("--reason") { Description = "Only this reason code (e.g. unknown-twin, schema-mismatch, duplicate-seq)." };
        var limit = new Option<int>("--limit") { Description = "Most entries to print (newest first).", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List dead letters newest first, after a count per reason.") { twin, reason, limit };
        list.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            if (ctx.Value(limit) < 1)
            {
                throw new UsageException("--limit must be at least 1");
            }

            using var api = ctx.Api();
            var counts = await api.DeadLetterCountsAsync(ct);
            var items = new List<DeadLetterView>();
            string? continuation = null;
            do
            {
                var page = await api.DeadLettersAsync(ctx.Value(twin), ctx.Value(reason), Math.Min(1000, ctx.Value(limit) - items.Count), continuation, ct);
                items.AddRange(page.Items.IsDefault ? [] : page.Items);
                continuation = page.Continuation;
            }
            while (continuation is not null && items.Count < ctx.Value(limit));

            if (ctx.Json)
            {
                CliContext.WriteJson(new
                {
                    counts,
                    items = items.Select(d => new
                    {
                        d.ReceivedAt, d.Topic, d.TwinId, d.Reason, d.Message, d.Size,
                        payloadPrefix = d.PayloadPrefixBase64,
                    }),
                });
                return ExitCodes.Ok;
            }

            Console.WriteLine(counts.Count == 0
                ? "No dead letters."
                : "Dead letters by reason: " + string.Join(", ", counts.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
            if (items.Count > 0)
            {
                var table = new Table().AddColumns("received", "twin", "reason", "size", "detail");
                foreach (var d in items)
                {
                    table.AddRow(d.ReceivedAt.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), Markup.Escape(d.TwinId ?? d.Topic),
                        d.Reason, d.Size.ToString(CultureInfo.InvariantCulture), Markup.Escape(d.Message));
                }

                AnsiConsole.Write(table);
            }

            return ExitCodes.Ok;
        }));
        deadLetters.Subcommands.Add(list);
        return deadLetters;
    }
}
