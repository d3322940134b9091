using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Simulation.Import;

/// <summary>
/// Reads an NDJSON import file: one object per line, <c>"kind"</c> one of <c>model</c> (with <c>document</c>),
/// <c>twin</c> (<c>id</c>, <c>model</c>, <c>properties</c>) or <c>relationship</c> (<c>source</c>, <c>name</c>,
/// <c>target</c>, optional <c>id</c> and <c>properties</c>); a bare DTDL interface line is a model too.
/// Blank lines and lines starting with <c>//</c> are skipped. Bad lines become errors; reading goes on.
/// </summary>
internal sealed class ImportFileReader(int maxLineLength)
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    public List<ModelLine> Models { get; } = [];

    public Dictionary<string, TwinLine> Twins { get; } = new(StringComparer.Ordinal);

    public List<RelationshipLine> Relationships { get; } = [];

    public List<ImportLineError> Errors { get; } = [];

    public long Lines { get; private set; }

    public async Task ReadAsync(TextReader reader, CancellationToken cancellationToken)
    {
        var seenRelationships = new HashSet<string>(StringComparer.Ordinal);
        var lines = new BoundedLineReader(reader, maxLineLength);
        while (await lines.ReadAsync(cancellationToken) is { } read)
        {
            var line = ++Lines;
            var text = read.Text;
            if (read.Truncated)
            {
                Errors.Add(new ImportLineError(line, $"line is longer than {maxLineLength:N0} characters, the most accepted"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(text) || text.TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                Read(line, text, seenRelationships);
            }
            catch (FormatException ex)
            {
                Errors.Add(new ImportLineError(line, ex.Message));
            }
            catch (JsonException ex)
            {
                Errors.Add(new ImportLineError(line, $"not valid JSON: {ex.Message}"));
            }
        }
    }

    private void Read(long line, string text, HashSet<string> seenRelationships)
    {
        using var document = JsonDocument.Parse(text, Options);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"a line must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
        }

        var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()
            : root.TryGetProperty("@context", out _) ? "interface" : null;
        switch (kind)
        {
            case "model":
                if (!root.TryGetProperty("document", out var model) || model.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                {
                    throw new FormatException("a model line needs \"document\": the DTDL interface (object or array)");
                }

                Models.Add(new ModelLine(line, model.GetRawText()));
                break;
            case "interface":
                Models.Add(new ModelLine(line, text));
                break;
            case "twin":
                var id = TwinIdOf(root, "id");
                var twin = new TwinLine(line, id, Required(root, "model"), ObjectText(root, "properties"));
                if (!Twins.TryAdd(id, twin))
                {
                    throw new FormatException($"twin '{id}' is already defined on line {Twins[id].Line}");
                }

                break;
            case "relationship":
                var source = TwinIdOf(root, "source");
                var name = Required(root, "name");
                var target = TwinIdOf(root, "target");
                var relId = root.TryGetProperty("id", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : $"{name}-{target}";
                if (!seenRelationships.Add(source + "\n" + relId))
                {
                    throw new FormatException($"relationship '{relId}' of '{source}' is already defined");
                }

                Relationships.Add(new RelationshipLine(line, source, relId, name, target, ObjectText(root, "properties")));
                break;
            default:
                throw new FormatException("\"kind\" must be \"model\", \"twin\" or \"relationship\"");
        }
    }

    private static string Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"\"{name}\" is required and must be a non-empty string");

    private static string TwinIdOf(JsonElement root, string name)
    {
        var id = Required(root, name);
        return TwinId.Check(id) is { } problem ? throw new FormatException($"\"{name}\": {problem}") : id;
    }

    private static string ObjectText(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return "{}";
        }

        return value.ValueKind == JsonValueKind.Object ? value.GetRawText() : throw new FormatException($"\"{name}\" must be a JSON object");
    }
}
