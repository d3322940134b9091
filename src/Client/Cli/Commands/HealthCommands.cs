using System.CommandLine;
using System.Globalization;
using System.Collections.Immutable;
using System.Text.Json;
using TwinCluster.Cli.Http;
using TwinCluster.Client.Health;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin health</c>, <c>twin watch</c> and <c>twin alerts list|ack</c>.</summary>
public static class HealthCommands
{
    public static IEnumerable<Command> Build() => [Health(), Watch(), Alerts()];

    private static Command Health()
    {
        var twin = new Argument<string>("id") { Description = "The twin at the top of the tree (a farm, a turbine, a component)." };
        var depth = new Option<int>("--depth") { Description = "Levels below the twin to show.", DefaultValueFactory = _ => 16 };
        var health = new Command("health", "A twin's health explained, and the tree below it: status, index and why, per twin.") { twin, depth };
        health.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            if (ctx.Value(depth) < 0)
            {
                throw new UsageException("--depth must be 0 or more");
            }

            using var api = ctx.Api();
            var tree = (await api.HealthAsync(CliContext.TwinIdArgument(ctx.Value(twin)), ctx.Value(depth), ct)).ToNode();
            if (ctx.Json)
            {
                CliContext.WriteJson(Json(tree));
            }
            else
            {
                Console.Write(HealthText.Tree(tree));
            }

            return ExitCodes.Ok;
        }));
        return health;
    }

    private static Command Watch()
    {
        var twin = new Argument<string>("id") { Description = "Follow this twin and everything it contains." };
        var kinds = new Option<string[]>("--kind") { Description = "Only these changes: health, raised, escalated, eased, acknowledged, cleared (repeatable)." };
        var count = new Option<int>("--count") { Description = "Stop after this many changes (0: follow until Ctrl+C).", DefaultValueFactory = _ => 0 };
        var timeout = new Option<double>("--for") { Description = "Stop after this many seconds (exit 1 if --count was not reached by then); 0: no limit.", DefaultValueFactory = _ => 0 };
        var quiet = new Option<bool>("--no-tree") { Description = "Do not print the current tree first." };
        var watch = new Command("watch", "Follow a subtree live: health changes and alerts as they happen (one line, or one JSON object, each).")
        {
            twin, kinds, count, timeout, quiet,
        };
        watch.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var wanted = ParseKinds(ctx.Value(kinds) ?? []);
            var limit = ctx.Value(count);
            if (limit < 0 || ctx.Value(timeout) < 0 || !double.IsFinite(ctx.Value(timeout)))
            {
                throw new UsageException("--count and --for must be 0 or more");
            }

            using var api = ctx.Api();
            var root = CliContext.TwinIdArgument(ctx.Value(twin));
            var kindFilter = wanted.Count == 0 ? null : string.Join(',', wanted.Select(HealthText.Kind));
            using var deadline = ctx.Value(timeout) > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(ctx.Value(timeout))) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            var seen = 0;
            string? lastEventId = null;
            var first = true;
            try
            {
                while (limit == 0 || seen < limit)
                {
                    try
                    {
                        await foreach (var item in api.ChangesAsync(root, kindFilter, lastEventId, linked.Token))
                        {
                            lastEventId = item.EventId ?? lastEventId;
                            switch (item.EventType)
                            {
                                case "open" when first:
                                    // The stream is open (its cursor taken) before the tree is read, so nothing that changes meanwhile is missed.
                                    first = false;
                                    var tree = (await api.HealthAsync(root, int.MaxValue, linked.Token)).ToNode();
                                    if (!ctx.Value(quiet) && !ctx.Json)
                                    {
                                        Console.Write(HealthText.Tree(tree));
                                        Console.WriteLine($"-- following changes under {root} (Ctrl+C to stop)");
                                    }

                                    break;
                                case "missed":
                                    var missed = JsonSerializer.Deserialize<MissedView>(item.Data, TwinApi.Wire)!;
                                    await Console.Error.WriteLineAsync($"warning: {missed.Missed} changes were missed ({missed.Reason}). Run 'twin health' for the current state.");
                                    break;
                                case "open" or "heartbeat":
                                    break;
                                default:
                                    var change = JsonSerializer.Deserialize<ChangeView>(item.Data, TwinApi.Wire)!;
                                    Console.WriteLine(ctx.Json ? CliContext.ToJson(change) : ChangeText(change));
                                    seen++;
                                    break;
                            }

                            if (limit > 0 && seen >= limit)
                            {
                                break;
                            }
                        }
                    }
                    catch (ApiUnreachableException ex) when (!first)
                    {
                        // The silo went away mid-stream: resume from the last event once it (or another) answers.
                        await Console.Error.WriteLineAsync($"warning: the change stream broke ({ex.Message}); retrying");
                        await Task.Delay(TimeSpan.FromSeconds(1), linked.Token);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException && !first)
                    {
                        await Console.Error.WriteLineAsync($"warning: the change stream broke ({ex.Message}); resuming from {lastEventId}");
                        await Task.Delay(TimeSpan.FromSeconds(1), linked.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                if (limit == 0)
                {
                    return ExitCodes.Ok;
                }

                await Console.Error.WriteLineAsync($"stopped after {ctx.Value(timeout).ToString(CultureInfo.InvariantCulture)} s with {seen} of {limit} changes");
                return ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }

            return ExitCodes.Ok;
        }));
        return watch;
    }

    private static Command Alerts()
    {
        var alerts = new Command("alerts", "Component alerts: list them, acknowledge one.");
        var all = new Option<bool>("--all") { Description = "Also the recently cleared alerts." };
        var under = new Option<string?>("--under") { Description = "Only alerts of components in this twin's subtree." };
        var list = new Command("list", "Open alerts, alarms first (with --all also the cleared ones).") { all, under };
        list.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var items = (await api.AlertsAsync(ctx.Value(all), ctx.Value(under) is { } root ? CliContext.TwinIdArgument(root) : null, ct))
                .Select(a => a.ToAlert()).ToImmutableArray();

            if (ctx.Json)
            {
                CliContext.WriteJson(items.Select(Json));
                return ExitCodes.Ok;
            }

            if (items.IsEmpty)
            {
                Console.WriteLine(ctx.Value(all) ? "No alerts." : "No open alerts.");
                return ExitCodes.Ok;
            }

            foreach (var a in items)
            {
                var state = a.IsOpen ? HealthText.Marker(a) : $"[alert {a.Number} cleared {a.ClearedAt:u}, peak {a.PeakLevel}]";
                Console.WriteLine($"{a.TwinId}  {state}  raised {a.RaisedAt:u}");
                Console.WriteLine($"    {a.Explanation}");
            }

            return ExitCodes.Ok;
        }));

        var twin = new Argument<string>("id") { Description = "The component whose open alert to acknowledge." };
        var by = new Option<string?>("--by") { Description = "Who acknowledges, e.g. a shift log name (default: the token's principal, which is always recorded)." };
        var note = new Option<string?>("--note") { Description = "A note kept with the acknowledgement." };
        var ack = new Command("ack", "Acknowledge a component's open alert (an escalation to alarm asks again).") { twin, by, note };
        ack.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var alert = (await api.AcknowledgeAsync(CliContext.TwinIdArgument(ctx.Value(twin)), ctx.Value(by), ctx.Value(note), ct)).ToAlert();
            if (ctx.Json)
            {
                CliContext.WriteJson(Json(alert));
            }
            else
            {
                Console.WriteLine($"{alert.TwinId}: alert {alert.Number} ({alert.Level}) acknowledged by {alert.AcknowledgedBy}");
            }

            return ExitCodes.Ok;
        }));
        alerts.Subcommands.Add(list);
        alerts.Subcommands.Add(ack);
        return alerts;
    }

    private static HashSet<TwinChangeKind> ParseKinds(string[] names)
    {
        var all = Enum.GetValues<TwinChangeKind>().ToDictionary(HealthText.Kind, k => k, StringComparer.OrdinalIgnoreCase);
        var kinds = new HashSet<TwinChangeKind>();
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            kinds.Add(all.TryGetValue(name, out var kind)
                ? kind
                : throw new UsageException($"--kind '{name}': use one of {string.Join(", ", all.Keys)}"));
        }

        return kinds;
    }

    private static object Json(HealthNode node) => new
    {
        id = node.TwinId,
        model = node.ModelId,
        status = node.Health.Status.ToString(),
        index = node.Health.Index,
        explanation = node.Health.Explain(),
        source = node.Health.SourceId,
        sourcePath = node.Health.SourcePath,
        fault = node.Health.Fault,
        rulSeconds = node.Health.RulSeconds,
        rulBandSeconds = node.Health.RulBandSeconds,
        monitored = node.Health.Monitored,
        alarms = node.Health.Alarms,
        warnings = node.Health.Warnings,
        alert = node.Health.OpenAlert is { } a ? Json(a) : null,
        children = node.Children.Select(Json),
    };

    private static object Json(TwinAlert a) => new
    {
        twin = a.TwinId,
        number = a.Number,
        level = a.Level.ToString(),
        peakLevel = a.PeakLevel.ToString(),
        open = a.IsOpen,
        raisedAt = a.RaisedAt,
        changedAt = a.ChangedAt,
        explanation = a.Explanation,
        acknowledgedBy = a.AcknowledgedBy,
        acknowledgedAt = a.AcknowledgedAt,
        note = a.Note,
        clearedAt = a.ClearedAt,
    };

    /// <summary>A change as <see cref="HealthText.Change"/> words it, from the stream's event.</summary>
    private static string ChangeText(ChangeView change)
    {
        var at = change.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var what = change.Kind switch
        {
            "health" when change.Explanation is { } explanation => explanation,
            _ when change.Alert is { } a => $"{change.Twin} alert {a.Number} {change.Kind} ({a.Level})" +
                (change.Kind == "acknowledged" ? $" by {a.AcknowledgedBy}{(a.Note is null ? "" : ": " + a.Note)}" : ": " + a.Explanation),
            _ => change.Twin,
        };
        return $"{at}  {what}";
    }
}
