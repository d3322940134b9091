using System.Globalization;
using System.Text.Json;

namespace TwinCluster.Grains.Index;

/// <summary>A scalar property value as the index compares it.</summary>
public readonly record struct IndexValue(JsonValueKind Kind, double Number, string? Text)
{
    public static IndexValue From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => new(JsonValueKind.Number, element.GetDouble(), null),
        JsonValueKind.String => new(JsonValueKind.String, 0, element.GetString()),
        JsonValueKind.True or JsonValueKind.False => new(element.ValueKind, 0, null),
        _ => new(JsonValueKind.Null, 0, null),
    };

    /// <summary>Orders two values of the same kind; null when they cannot be compared.</summary>
    public int? CompareTo(IndexValue other)
    {
        if (Kind == JsonValueKind.Number && other.Kind == JsonValueKind.Number)
        {
            return Number.CompareTo(other.Number);
        }

        if (Kind == JsonValueKind.String && other.Kind == JsonValueKind.String)
        {
            return string.CompareOrdinal(Text, other.Text);
        }

        return Kind == other.Kind && Kind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null ? 0 : null;
    }

    public override string ToString() => Kind switch
    {
        JsonValueKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => Text ?? "",
        _ => Kind.ToString(),
    };
}
