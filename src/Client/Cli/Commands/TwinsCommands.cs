using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using TwinCluster.Client;
using TwinCluster.Cli.Http;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin twins create|get|replace|patch|delete|import|query|tree</c>.</summary>
public static class TwinsCommands
{
    private static readonly Option<string?> IfMatch = new("--if-match") { Description = "Only if the twin's ETag is this (a stale ETag is refused)." };

    public static Command Build()
    {
        var twins = new Command("twins", "Twins: create, read, change, delete, import, query.");
        twins.Subcommands.Add(Create());
        twins.Subcommands.Add(Get());
        twins.Subcommands.Add(Replace());
        twins.Subcommands.Add(Patch());
        twins.Subcommands.Add(Delete());
        twins.Subcommands.Add(ImportCommand());
        twins.Subcommands.Add(QueryCommand.Build());
        twins.Subcommands.Add(Tree());
        return twins;
    }

    public static void Print(CliContext ctx, TwinSnapshot twin)
    {
        if (ctx.Json)
        {
            CliContext.WriteJson(new
            {
                twin.Id,
                model = twin.ModelId,
                properties = JsonDocument.Parse(twin.PropertiesJson).RootElement,
                etag = twin.ETag,
                relationships = twin.Relationships.Select(r => new { r.Id, r.Name, r.TargetId, properties = JsonDocument.Parse(r.PropertiesJson).RootElement }),
                incoming = twin.Incoming,
                twin.CreatedAt,
                twin.UpdatedAt,
            });
            return;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("id", Markup.Escape(twin.Id));
        grid.AddRow("model", Markup.Escape(twin.ModelId));
        grid.AddRow("etag", Markup.Escape(twin.ETag));
        grid.AddRow("properties", Markup.Escape(twin.PropertiesJson));
        grid.AddRow("relationships", Markup.Escape(string.Join(", ", twin.Relationships.Select(r => $"{r.Id}: {r.Name} → {r.TargetId}"))));
        grid.AddRow("incoming", Markup.Escape(string.Join(", ", twin.Incoming.Select(r => $"{r.SourceId} {r.Name}"))));
        grid.AddRow("updated", twin.UpdatedAt.ToString("u"));
        AnsiConsole.Write(grid);
    }

    private static Argument<string> IdArgument() => new("id") { Description = "Twin id." };

    private static Command Create()
    {
        var id = IdArgument();
        var model = new Option<string>("--model", "-m") { Description = "The twin's model (DTMI).", Required = true };
        var properties = new Option<string>("--properties", "-p") { Description = "Properties as a JSON object, or @file.", DefaultValueFactory = _ => "{}" };
        var command = new Command("create", "Create a twin of a model.") { id, model, properties };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var json = CliContext.JsonArgument(ctx.Value(properties), "--properties");
            using var api = ctx.Api();
            Print(ctx, await api.CreateTwinAsync(CliContext.TwinIdArgument(ctx.Value(id)), ctx.Value(model), json, ct));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Get()
    {
        var id = IdArgument();
        var asOf = new Option<string?>("--as-of") { Description = "Show the twin as it was then (ISO 8601, or '-2h'), from its change history." };
        var command = new Command("get", "Show a twin.") { id, asOf };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var at = ctx.Value(asOf) is { } text ? TwinCluster.Storage.History.HistoryTime.Parse(text, DateTimeOffset.UtcNow, "--as-of") : (DateTimeOffset?)null;
            using var api = ctx.Api();
            Print(ctx, await api.GetTwinAsync(CliContext.TwinIdArgument(ctx.Value(id)), at, ct));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Replace()
    {
        var id = IdArgument();
        var properties = new Argument<string>("properties") { Description = "All properties as a JSON object, or @file." };
        var command = new Command("replace", "Replace all properties of a twin.") { id, properties, IfMatch };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var json = CliContext.JsonArgument(ctx.Value(properties), "properties");
            using var api = ctx.Api();
            Print(ctx, await api.ReplaceTwinAsync(CliContext.TwinIdArgument(ctx.Value(id)), json, ctx.Value(IfMatch), ct));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Patch()
    {
        var id = IdArgument();
        var patch = new Argument<string>("patch") { Description = """JSON Patch array, e.g. '[{"op":"replace","path":"/ratedPowerKW","value":3600}]', or @file.""" };
        var command = new Command("patch", "Change properties with a JSON Patch (add, replace, remove, test, move, copy); all or nothing.") { id, patch, IfMatch };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var json = CliContext.JsonArgument(ctx.Value(patch), "patch");
            using var api = ctx.Api();
            Print(ctx, await api.PatchTwinAsync(CliContext.TwinIdArgument(ctx.Value(id)), json, ctx.Value(IfMatch), ct));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Delete()
    {
        var id = IdArgument();
        var cascade = new Option<bool>("--cascade") { Description = "Also remove the twin's relationships (both ways); the other twins stay." };
        var command = new Command("delete", "Delete a twin; refused while it has relationships unless --cascade.") { id, cascade, IfMatch };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var removed = await api.DeleteTwinAsync(CliContext.TwinIdArgument(ctx.Value(id)), ctx.Value(IfMatch), ctx.Value(cascade), ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(new { deleted = ctx.Value(id), relationshipsRemoved = removed });
            }
            else
            {
                Console.WriteLine($"Deleted {ctx.Value(id)} ({removed} relationship(s) removed).");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ImportCommand()
    {
        var file = new Argument<string>("file") { Description = "NDJSON file (- for standard input): model, twin and relationship lines." };
        var batch = new Option<int>("--batch-size") { Description = "Kept for scripts; the silo's import job chooses its own batches.", DefaultValueFactory = _ => 1_000, Hidden = true };
        var command = new Command("import",
            "Bulk import a fleet from NDJSON, as an import job of the silo (the file is sent, progress followed). Bad lines are reported by number; good lines go in.") { file, batch };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var path = ctx.Value(file);
            await using var input = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
            using var api = ctx.Api();
            var summary = await ImportJob.RunAsync(api, input, ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(summary);
            }
            else
            {
                foreach (var error in summary.Errors)
                {
                    Console.WriteLine($"line {error.Line}: {error.Message}");
                }

                Console.WriteLine(
                    $"{summary.Lines:N0} lines: {summary.ModelsUploaded} models, {summary.TwinsCreated:N0} twins, {summary.RelationshipsCreated:N0} relationships imported; " +
                    $"{summary.Errors.Length:N0} lines refused; {summary.Elapsed.TotalSeconds:0.00} s ({summary.TwinsPerSecond:N0} twins/s).");
            }

            return summary.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static Command Tree()
    {
        var id = IdArgument();
        var command = new Command("tree", "Show the subtree under a twin (through 'contains').") { id };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var subtree = await api.TreeAsync(CliContext.TwinIdArgument(ctx.Value(id)), ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(subtree.Select(e => new { e.TwinId, model = e.ModelId, parent = e.ParentId, properties = JsonDocument.Parse(e.PropertiesJson).RootElement }));
                return ExitCodes.Ok;
            }

            var children = subtree.Skip(1).ToLookup(e => e.ParentId, StringComparer.Ordinal);
            var tree = new Spectre.Console.Tree(Label(subtree[0]));
            void Add(IHasTreeNodes node, string parent)
            {
                foreach (var child in children[parent])
                {
                    Add(node.AddNode(Label(child)), child.TwinId);
                }
            }

            Add(tree, subtree[0].TwinId);
            AnsiConsole.Write(tree);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Label(IndexEntry entry)
    {
        var model = entry.ModelId.Split(':')[^1];
        return $"[bold]{Markup.Escape(entry.TwinId)}[/] [grey]{Markup.Escape(model)}[/]";
    }
}
