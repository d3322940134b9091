using System.Text.Json;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Index;

/// <summary>An index entry with its scalar properties flattened to dotted paths, parsed once on upsert.</summary>
public sealed class IndexedTwin
{
    private const int MaxDepth = 8;

    public IndexedTwin(IndexEntry entry)
    {
        Entry = entry;
        using var document = JsonDocument.Parse(entry.PropertiesJson);
        Flatten(document.RootElement, null, 0);
    }

    public IndexEntry Entry { get; }

    public Dictionary<string, IndexValue> Values { get; } = new(StringComparer.Ordinal);

    public bool Matches(ShardQuery query, IReadOnlyList<(string Path, Interfaces.FilterOperator Op, IndexValue Value)> filters)
    {
        if (query.ModelIds is { } models && !models.Contains(Entry.ModelId))
        {
            return false;
        }

        if (query.Within is { } within && !within.Contains(Entry.TwinId))
        {
            return false;
        }

        foreach (var (path, op, value) in filters)
        {
            if (!Values.TryGetValue(path, out var actual))
            {
                return false;
            }

            var order = actual.CompareTo(value);
            var pass = op switch
            {
                FilterOperator.Eq => order == 0,
                FilterOperator.Ne => order != 0,
                FilterOperator.Lt => order < 0,
                FilterOperator.Le => order <= 0,
                FilterOperator.Gt => order > 0,
                FilterOperator.Ge => order >= 0,
                _ => false,
            };
            if (!pass)
            {
                return false;
            }
        }

        return true;
    }

    private void Flatten(JsonElement element, string? prefix, int depth)
    {
        if (element.ValueKind == JsonValueKind.Object && depth < MaxDepth)
        {
            foreach (var property in element.EnumerateObject())
            {
                Flatten(property.Value, prefix is null ? property.Name : prefix + "." + property.Name, depth + 1);
            }
        }
        else if (prefix is not null && element.ValueKind is not JsonValueKind.Array and not JsonValueKind.Object)
        {
            Values[prefix] = IndexValue.From(element);
        }
    }
}
