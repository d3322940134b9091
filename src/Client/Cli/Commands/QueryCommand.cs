using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin twins query [--model M [--subtypes]] [--where "p&gt;=1"]... [--under ID] [--page-size N] [--all|--page-token T]</c>.</summary>
public static partial class QueryCommand
{
    public static Command Build()
    {
        var model = new Option<string?>("--model", "-m") { Description = "Only twins of this model (DTMI)." };
        var subtypes = new Option<bool>("--subtypes") { Description = "With --model: include models that extend it." };
        var where = new Option<string[]>("--where", "-w") { Description = "Property condition, repeatable: name=value, name!=value, name<value, <=, >, >=. Dotted paths reach nested objects. Values are JSON (numbers, true, \"text\"); bare words are text." };
        var under = new Option<string?>("--under") { Description = "Only twins in the subtree under this twin." };
        var pageSize = new Option<int>("--page-size") { Description = "Results per page.", DefaultValueFactory = _ => 100 };
        // Not --token: that is the API token every command takes.
        var token = new Option<string?>("--page-token") { Description = "Continue from this page token (printed after a page)." };
        var all = new Option<bool>("--all") { Description = "Follow every page." };
        var command = new Command("query", "Query twins by model, property values and ancestor; results reflect every acknowledged write.")
        {
            model, subtypes, where, under, pageSize, token, all,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var query = new TwinQuery(
                ctx.Value(model),
                ctx.Value(subtypes),
                [.. (ctx.Value(where) ?? []).Select(ParseFilter)],
                ctx.Value(under),
                ctx.Value(pageSize),
                ctx.Value(token));
            using var api = ctx.Api();
            var items = new List<IndexEntry>();
            var page = await api.QueryAsync(query, ct);
            items.AddRange(page.Items);
            var next = page.ContinuationToken;
            while (ctx.Value(all) && next is not null)
            {
                page = await api.QueryAsync(query with { ContinuationToken = next }, ct);
                items.AddRange(page.Items);
                next = page.ContinuationToken;
            }

            if (ctx.Json)
            {
                CliContext.WriteJson(new
                {
                    items = items.Select(e => new { id = e.TwinId, model = e.ModelId, parent = e.ParentId, properties = JsonDocument.Parse(e.PropertiesJson).RootElement }),
                    continuationToken = next,
                });
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Twin", "Model", "Parent", "Properties");
            foreach (var e in items)
            {
                table.AddRow(Markup.Escape(e.TwinId), Markup.Escape(e.ModelId), Markup.Escape(e.ParentId ?? ""), Markup.Escape(e.PropertiesJson));
            }

            AnsiConsole.Write(table);
            Console.WriteLine(next is null ? $"{items.Count} twin(s)." : $"{items.Count} twin(s); more with --page-token {next}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static PropertyFilter ParseFilter(string text)
    {
        var match = FilterPattern().Match(text);
        if (!match.Success)
        {
            throw new UsageException($"--where '{text}' is not 'name OP value' with OP one of = != < <= > >=");
        }

        var op = match.Groups[2].Value switch
        {
            "=" or "==" => FilterOperator.Eq,
            "!=" => FilterOperator.Ne,
            "<" => FilterOperator.Lt,
            "<=" => FilterOperator.Le,
            ">" => FilterOperator.Gt,
            _ => FilterOperator.Ge,
        };
        var raw = match.Groups[3].Value.Trim();
        string json;
        try
        {
            using var document = JsonDocument.Parse(raw);
            json = raw;
        }
        catch (JsonException)
        {
            json = JsonSerializer.Serialize(raw);
        }

        return new PropertyFilter(match.Groups[1].Value, op, json.ToString(CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(==|!=|<=|>=|=|<|>)\s*(.+)$")]
    private static partial Regex FilterPattern();
}
