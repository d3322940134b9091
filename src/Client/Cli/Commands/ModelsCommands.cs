using System.CommandLine;
using Spectre.Console;
using TwinCluster.Cli.Http;
using TwinCluster.Client.Modeling;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin models upload|list|get|validate|decommission|delete</c>.</summary>
public static class ModelsCommands
{
    public static Command Build()
    {
        var models = new Command("models", "DTDL models: upload, list, inspect, validate offline.");
        models.Subcommands.Add(Upload());
        models.Subcommands.Add(List());
        models.Subcommands.Add(Get());
        models.Subcommands.Add(Validate());
        models.Subcommands.Add(Lifecycle("decommission", "No new twins of the model may be created.", (api, id, ct) => api.DecommissionModelAsync(id, ct)));
        models.Subcommands.Add(Lifecycle("delete", "Delete a model that no twin and no model uses.", (api, id, ct) => api.DeleteModelAsync(id, ct)));
        return models;
    }

    /// <summary>The model files under the given paths (folders searched recursively for *.json and *.jsonld).</summary>
    public static List<string> ModelFiles(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonld", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                throw new UsageException($"'{path}' is neither a file nor a folder");
            }
        }

        return files;
    }

    private static Command Upload()
    {
        var paths = new Argument<string[]>("paths") { Description = "Model files or folders; all are uploaded as one set, atomically.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("upload", "Upload models; if any is invalid or incomplete nothing is stored.") { paths };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var files = ModelFiles(ctx.Value(paths));
            var documents = new List<string>();
            foreach (var file in files)
            {
                documents.Add(await File.ReadAllTextAsync(file, ct));
            }

            using var api = ctx.Api();
            var result = await api.UploadModelsAsync(documents, ct);
            var errors = result.Errors.IsDefault ? [] : result.Errors.Select(e => e with { Source = MapSource(e.Source, files) }).ToList();
            if (ctx.Json)
            {
                CliContext.WriteJson(new { uploaded = result.Uploaded, errors });
            }
            else if (result.Succeeded)
            {
                Console.WriteLine($"Uploaded {result.Uploaded.Length} model(s) from {files.Count} file(s).");
                foreach (var id in result.Uploaded)
                {
                    Console.WriteLine($"  {id}");
                }
            }
            else
            {
                Console.Error.WriteLine($"Nothing was stored: {errors.Count} error(s).");
                foreach (var e in errors)
                {
                    Console.Error.WriteLine($"  {e.Source} {e.Path}: {e.Message} ({e.Code})");
                }
            }

            return result.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static string? MapSource(string? source, List<string> files) =>
        ModelUploadResult.DocumentIndex(source) is int i && i < files.Count ? files[i] : source;

    private static Command List()
    {
        var command = new Command("list", "List the cluster's models.");
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var models = await api.ListModelsAsync(ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(models);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Model", "Name", "Uploaded", "Decommissioned", "Depends on");
            foreach (var m in models)
            {
                table.AddRow(Markup.Escape(m.Id), Markup.Escape(m.DisplayName ?? ""), m.UploadedAt.ToString("u"), m.Decommissioned ? "yes" : "", Markup.Escape(string.Join(", ", m.Dependencies)));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Get()
    {
        var id = new Argument<string>("model") { Description = "The model's DTMI." };
        var command = new Command("get", "Show a model and its DTDL document.") { id };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var model = await api.GetModelAsync(ctx.Value(id), ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(new { model.Info, document = model.Document });
            }
            else
            {
                Console.WriteLine($"{model.Info.Id}  uploaded {model.Info.UploadedAt:u}{(model.Info.Decommissioned ? "  DECOMMISSIONED" : "")}");
                Console.WriteLine($"depends on: {(model.Info.Dependencies.IsDefaultOrEmpty ? "nothing" : string.Join(", ", model.Info.Dependencies))}");
                Console.WriteLine(model.Document.GetRawText());
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Validate()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (*.json, *.jsonld, recursively).", Arity = ArgumentArity.OneOrMore };
        var each = new Option<bool>("--each") { Description = "Validate every file on its own instead of all as one model set." };
        var resolveDir = new Option<string?>("--resolve-dir") { Description = "Folder to resolve references from, laid out by DTMI path (dtmi/com/example/thermostat-1.json)." };
        var command = new Command("validate", "Validate DTDL files offline, without a cluster. Exit 0 when all are valid.") { paths, each, resolveDir };
        command.SetAction(CliContext.Handler((ctx, _) =>
        {
            var results = new ModelFileValidator().Validate(ctx.Value(paths), ctx.Value(each), ctx.Value(resolveDir));
            if (ctx.Json)
            {
                Console.WriteLine(ModelFileValidator.ToJsonLines(results));
            }
            else
            {
                foreach (var result in results)
                {
                    Console.WriteLine($"{(result.Valid ? "valid  " : "INVALID")} {result.File}");
                    foreach (var e in result.Errors)
                    {
                        Console.WriteLine($"  {e.Source ?? ""} {e.Path}: {e.Message} ({e.Code})");
                    }
                }
            }

            return Task.FromResult(ModelFileValidator.ExitCode(results));
        }));
        return command;
    }

    private static Command Lifecycle(string name, string description, Func<TwinApi, string, CancellationToken, Task> action)
    {
        var id = new Argument<string>("model") { Description = "The model's DTMI." };
        var command = new Command(name, description) { id };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            await action(api, ctx.Value(id), ct);
            Console.WriteLine($"{name}: {ctx.Value(id)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
