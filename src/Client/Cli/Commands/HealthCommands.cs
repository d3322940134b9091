using System.CommandLine;
using System.Globalization;
using TwinCluster.Client.Health;
using TwinCluster.Grains.Interfaces;
using Orleans.Runtime;

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

            await using var connection = await ctx.ConnectAsync(ct);
            var tree = await HealthTree.ReadAsync(connection.Twins, ctx.Value(twin), ctx.Value(depth), ct);
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

            await using var connection = await ctx.ConnectAsync(ct);
            var root = ctx.Value(twin);
            var feed = connection.Client.GetGrain<IChangeFeedGrain>(ChangeStreams.Key);
            // Take the cursor before reading the tree, so nothing that changes meanwhile is missed.
            var page = await feed.Read(Guid.Empty, -1, 1, TimeSpan.Zero);
            var (epoch, cursor) = (page.Epoch, page.Next);
            var tree = await HealthTree.ReadAsync(connection.Twins, root, cancellationToken: ct);
            if (!ctx.Value(quiet) && !ctx.Json)
            {
                Console.Write(HealthText.Tree(tree));
                Console.WriteLine($"-- following changes under {root} (Ctrl+C to stop)");
            }

            using var deadline = ctx.Value(timeout) > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(ctx.Value(timeout))) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            var seen = 0;
            try
            {
                while (limit == 0 || seen < limit)
                {
                    try
                    {
                        page = await feed.Read(epoch, cursor, 500, TimeSpan.FromSeconds(10)).WaitAsync(linked.Token);
                    }
                    catch (Exception ex) when (ex is OrleansException or TimeoutException)
                    {
                        // The feed's silo went away (or the call timed out): the feed comes back on another silo.
                        await Console.Error.WriteLineAsync($"warning: the change feed did not answer ({ex.GetType().Name}); retrying");
                        await Task.Delay(TimeSpan.FromSeconds(1), linked.Token);
                        continue;
                    }

                    if (page.Epoch != epoch)
                    {
                        await Console.Error.WriteLineAsync("warning: the change feed restarted (its silo stopped); changes in between may be missing. Run 'twin health' for the current state.");
                        epoch = page.Epoch;
                    }
                    else if (page.Missed > 0)
                    {
                        await Console.Error.WriteLineAsync($"warning: {page.Missed} changes were missed (the feed keeps the most recent only)");
                    }

                    cursor = page.Next;
                    foreach (var change in page.Events.Where(c => c.IsUnder(root) && (wanted.Count == 0 || wanted.Contains(c.Kind))))
                    {
                        Console.WriteLine(ctx.Json ? CliContext.ToJson(Json(change)) : HealthText.Change(change));
                        if (limit > 0 && ++seen >= limit)
                        {
                            break;
                        }
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
            await using var connection = await ctx.ConnectAsync(ct);
            var items = await connection.Client.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).List(ctx.Value(all));
            if (ctx.Value(under) is { } root)
            {
                var members = (await connection.Twins.SubtreeAsync(root)).Select(e => e.TwinId).ToHashSet(StringComparer.Ordinal);
                items = [.. items.Where(a => members.Contains(a.TwinId))];
            }

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
        var by = new Option<string?>("--by") { Description = "Who acknowledges (default: the user name)." };
        var note = new Option<string?>("--note") { Description = "A note kept with the acknowledgement." };
        var ack = new Command("ack", "Acknowledge a component's open alert (an escalation to alarm asks again).") { twin, by, note };
        ack.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            await using var connection = await ctx.ConnectAsync(ct);
            var alert = await connection.Twins.Twin(ctx.Value(twin)).AcknowledgeAlert(ctx.Value(by) ?? Environment.UserName, ctx.Value(note));
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

    private static object Json(TwinChange c) => new
    {
        seq = c.Seq,
        kind = HealthText.Kind(c.Kind),
        twin = c.TwinId,
        path = c.Path,
        at = c.At,
        status = c.Health?.Status.ToString(),
        index = c.Health?.Index,
        explanation = c.Health?.Explain(),
        alert = c.Alert is { } a ? Json(a) : null,
    };
}
