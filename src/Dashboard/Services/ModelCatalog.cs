using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Services;

/// <summary>One upload's document: which file (and which element of an array file) it came from.</summary>
public sealed record UploadDocument(string File, int? Element, string Json)
{
    public string Where => Element is { } e ? $"{File}[{e}]" : File;
}

/// <summary>An upload problem for a person: the file, the path inside it, and what is wrong.</summary>
public sealed record UploadProblem(string File, string Path, string Code, string Message);

/// <summary>The models page's logic, apart from the page: what extends what, and splitting and reporting uploads per file.</summary>
public static class ModelCatalog
{
    /// <summary>The DTMIs a model's JSON extends directly (a string or an array; inline interfaces by their @id).</summary>
    public static IReadOnlyList<string> Extends(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var node = JsonNode.Parse(json)?["extends"];
            return node switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => [s],
                JsonArray a => [.. a.Select(e => e is JsonValue ev && ev.TryGetValue<string>(out var s) ? s : e?["@id"]?.GetValue<string>()).OfType<string>()],
                JsonObject o when o["@id"]?.GetValue<string>() is { } id => [id],
                _ => [],
            };
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// The documents of some files: a file holding one model is one document, a file holding an array gives one per
    /// element. A file that is not JSON is a problem of its own (path "$").
    /// </summary>
    public static (List<UploadDocument> Documents, List<UploadProblem> Problems) Split(IEnumerable<(string Name, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var documents = new List<UploadDocument>();
        var problems = new List<UploadProblem>();
        foreach (var (name, text) in files)
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                problems.Add(new UploadProblem(name, "$", "invalid-json", e.Message));
                continue;
            }

            if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    documents.Add(new UploadDocument(name, i, array[i]?.ToJsonString() ?? "null"));
                }
            }
            else
            {
                documents.Add(new UploadDocument(name, null, node?.ToJsonString() ?? "null"));
            }
        }

        return (documents, problems);
    }

    /// <summary>The repository's issues, each named by the file (and element) its document came from.</summary>
    public static List<UploadProblem> Problems(IReadOnlyList<UploadDocument> documents, ModelUploadResult result)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(result);
        return [.. (result.Errors.IsDefault ? [] : result.Errors).Select(e =>
            ModelUploadResult.DocumentIndex(e.Source) is { } i && i >= 0 && i < documents.Count
                ? new UploadProblem(documents[i].Where, e.Path, e.Code, e.Message)
                : new UploadProblem(e.Source ?? "(upload)", e.Path, e.Code, e.Message))];
    }
}
