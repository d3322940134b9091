using System.Text.Json;
using System.Text.Json.Nodes;

namespace TwinCluster.Dashboard.Services;

/// <summary>Query rows as a table: the columns are the union of the rows' top-level keys, in first-seen order.</summary>
public sealed record QueryTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Builds the table of some result rows (each the JSON of one row, as the API returns it).</summary>
    public static QueryTable From(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var objects = new List<JsonObject>();
        foreach (var item in items)
        {
            var node = JsonNode.Parse(item);
            var obj = node as JsonObject ?? new JsonObject { ["value"] = node?.DeepClone() };
            objects.Add(obj);
            foreach (var (key, _) in obj)
            {
                if (seen.Add(key))
                {
                    columns.Add(key);
                }
            }
        }

        // $dtId first, $metadata last: what a person looks for first.
        columns.Sort((a, b) => Rank(a).CompareTo(Rank(b)));
        return new QueryTable(columns, [.. objects.Select(o => (IReadOnlyList<string>)[.. columns.Select(c => Cell(o[c]))])]);

        static int Rank(string c) => c == "$dtId" ? 0 : c == "$metadata" ? 2 : 1;
    }

    private static string Cell(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
