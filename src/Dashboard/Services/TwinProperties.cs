using System.Text.Json;
using System.Text.Json.Nodes;

namespace TwinCluster.Dashboard.Services;

/// <summary>One editable row of the twin page: a top-level property as JSON text.</summary>
public sealed class PropertyRow(string name, string json)
{
    public string Name { get; } = name;

    /// <summary>The stored value as JSON.</summary>
    public string Original { get; set; } = json;

    /// <summary>What the user typed.</summary>
    public string Edited { get; set; } = json;

    public bool Changed => Edited.Trim() != Original;
}

/// <summary>The twin page's property editing, apart from the page: rows from the properties, and a JSON Patch of the edits.</summary>
public static class TwinProperties
{
    /// <summary>Top-level properties as rows, sorted by name (metadata such as $metadata left out).</summary>
    public static List<PropertyRow> Rows(string propertiesJson)
    {
        ArgumentNullException.ThrowIfNull(propertiesJson);
        var root = JsonNode.Parse(propertiesJson) as JsonObject ?? [];
        return [.. root.Where(p => !p.Key.StartsWith('$')).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new PropertyRow(p.Key, p.Value?.ToJsonString() ?? "null"))];
    }

    /// <summary>
    /// A JSON Patch (RFC 6902) replacing each changed row's value; a value that is not JSON is refused with the
    /// property's name (text without quotes is taken as a string, as a person types it).
    /// </summary>
    public static (string? Patch, string? Error) Patch(IEnumerable<PropertyRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ops = new JsonArray();
        foreach (var row in rows.Where(r => r.Changed))
        {
            JsonNode? value;
            var text = row.Edited.Trim();
            try
            {
                value = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                if (text.StartsWith('{') || text.StartsWith('[') || text.StartsWith('"'))
                {
                    return (null, $"{row.Name}: not valid JSON");
                }

                value = JsonValue.Create(text);
            }

            ops.Add(new JsonObject { ["op"] = "replace", ["path"] = "/" + row.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal), ["value"] = value });
        }

        return ops.Count == 0 ? (null, "nothing changed") : (ops.ToJsonString(), null);
    }
}
