using System.CommandLine;
using Spectre.Console;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin rel add|remove|list</c>.</summary>
public static class RelCommands
{
    public static Command Build()
    {
        var rel = new Command("rel", "Relationships between twins.");
        rel.Subcommands.Add(Add());
        rel.Subcommands.Add(Remove());
        rel.Subcommands.Add(List());
        return rel;
    }

    private static Command Add()
    {
        var source = new Argument<string>("source") { Description = "Twin that holds the relationship." };
        var name = new Argument<string>("name") { Description = "Relationship name from the source's model (e.g. contains)." };
        var target = new Argument<string>("target") { Description = "Target twin; must exist." };
        var id = new Option<string?>("--id") { Description = "Relationship id (default NAME-TARGET)." };
        var properties = new Option<string>("--properties", "-p") { Description = "Relationship properties as JSON, or @file.", DefaultValueFactory = _ => "{}" };
        var ifMatch = new Option<string?>("--if-match") { Description = "Only if the source's ETag is this." };
        var command = new Command("add", "Add a relationship; both ends are updated.") { source, name, target, id, properties, ifMatch };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var json = CliContext.JsonArgument(ctx.Value(properties), "--properties");
            var relId = ctx.Value(id) ?? $"{ctx.Value(name)}-{ctx.Value(target)}";
            using var api = ctx.Api();
            var added = await api.AddRelationshipAsync(CliContext.TwinIdArgument(ctx.Value(source)), relId, ctx.Value(name), ctx.Value(target), json, ctx.Value(ifMatch), ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(added);
            }
            else
            {
                Console.WriteLine($"{added.SourceId} -[{added.Name} ({added.Id})]-> {added.TargetId}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove()
    {
        var source = new Argument<string>("source") { Description = "Twin that holds the relationship." };
        var id = new Argument<string>("relationship") { Description = "Relationship id." };
        var ifMatch = new Option<string?>("--if-match") { Description = "Only if the source's ETag is this." };
        var command = new Command("remove", "Remove a relationship from both ends.") { source, id, ifMatch };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            await api.RemoveRelationshipAsync(CliContext.TwinIdArgument(ctx.Value(source)), ctx.Value(id), ctx.Value(ifMatch), ct);
            Console.WriteLine($"Removed {ctx.Value(id)} from {ctx.Value(source)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var twin = new Argument<string>("id") { Description = "Twin id." };
        var incoming = new Option<bool>("--incoming") { Description = "List relationships other twins hold to this one." };
        var name = new Option<string?>("--name") { Description = "Only relationships with this name." };
        var command = new Command("list", "List a twin's relationships.") { twin, incoming, name };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var id = CliContext.TwinIdArgument(ctx.Value(twin));
            var table = new Table();
            if (ctx.Value(incoming))
            {
                var list = await api.IncomingAsync(id, ctx.Value(name), ct);
                if (ctx.Json)
                {
                    CliContext.WriteJson(list);
                    return ExitCodes.Ok;
                }

                table.AddColumns("Source", "Name", "Relationship");
                foreach (var r in list)
                {
                    table.AddRow(Markup.Escape(r.SourceId), Markup.Escape(r.Name), Markup.Escape(r.RelationshipId));
                }
            }
            else
            {
                var list = await api.RelationshipsAsync(id, ctx.Value(name), ct);
                if (ctx.Json)
                {
                    CliContext.WriteJson(list);
                    return ExitCodes.Ok;
                }

                table.AddColumns("Relationship", "Name", "Target", "Properties");
                foreach (var r in list)
                {
                    table.AddRow(Markup.Escape(r.Id), Markup.Escape(r.Name), Markup.Escape(r.TargetId), Markup.Escape(r.PropertiesJson));
                }
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
