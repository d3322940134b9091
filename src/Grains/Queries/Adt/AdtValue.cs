using System.Globalization;
using System.Text.Json;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>What kind of value an expression has; <see cref="Undefined"/> is a missing property.</summary>
public enum AdtValueKind
{
    Undefined,
    Null,
    Bool,
    Number,
    String,
    Object,
    Array,
}

/// <summary>
/// A value during evaluation. Objects and arrays keep their JSON element (default for a collection itself);
/// comparisons between different kinds are undefined, as in ADT, so they never match.
/// </summary>
public readonly record struct AdtValue(AdtValueKind Kind, bool Bool, double Number, string? Text, JsonElement Element)
{
    public static readonly AdtValue Undefined = default;
    public static readonly AdtValue Null = new(AdtValueKind.Null, false, 0, null, default);
    public static readonly AdtValue True = new(AdtValueKind.Bool, true, 0, null, default);
    public static readonly AdtValue False = new(AdtValueKind.Bool, false, 0, null, default);

    public static AdtValue Of(bool value) => value ? True : False;

    public static AdtValue Of(double value) => new(AdtValueKind.Number, false, value, null, default);

    public static AdtValue Of(string value) => new(AdtValueKind.String, false, 0, value, default);

    /// <summary>A value that stands for a whole twin or relationship (defined, an object, compares with nothing).</summary>
    public static readonly AdtValue Item = new(AdtValueKind.Object, false, 0, null, default);

    public static AdtValue From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => new(AdtValueKind.Number, false, element.GetDouble(), null, element),
        JsonValueKind.String => new(AdtValueKind.String, false, 0, element.GetString(), element),
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Null => Null,
        JsonValueKind.Object => new(AdtValueKind.Object, false, 0, null, element),
        JsonValueKind.Array => new(AdtValueKind.Array, false, 0, null, element),
        _ => Undefined,
    };

    public bool IsPrimitive => Kind is AdtValueKind.Null or AdtValueKind.Bool or AdtValueKind.Number or AdtValueKind.String;

    /// <summary>Equality of two primitives of one kind; null when they cannot be compared.</summary>
    public bool? EqualTo(AdtValue other)
    {
        if (Kind != other.Kind || !IsPrimitive)
        {
            return null;
        }

        return Kind switch
        {
            AdtValueKind.Null => true,
            AdtValueKind.Bool => Bool == other.Bool,
            AdtValueKind.Number => Number.Equals(other.Number),
            _ => string.Equals(Text, other.Text, StringComparison.Ordinal),
        };
    }

    /// <summary>Order of two numbers or two strings (ordinal); null for anything else.</summary>
    public int? OrderAgainst(AdtValue other) => (Kind, other.Kind) switch
    {
        (AdtValueKind.Number, AdtValueKind.Number) => Number.CompareTo(other.Number),
        (AdtValueKind.String, AdtValueKind.String) => string.CompareOrdinal(Text, other.Text),
        _ => null,
    };

    /// <summary>The value as JSON (the index takes filter values in this form).</summary>
    public string ToJson() => Kind switch
    {
        AdtValueKind.Null => "null",
        AdtValueKind.Bool => Bool ? "true" : "false",
        AdtValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        AdtValueKind.String => JsonSerializer.Serialize(Text),
        AdtValueKind.Object or AdtValueKind.Array when Element.ValueKind != JsonValueKind.Undefined => Element.GetRawText(),
        _ => "undefined",
    };

    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (Kind)
        {
            case AdtValueKind.Null:
                writer.WriteNullValue();
                break;
            case AdtValueKind.Bool:
                writer.WriteBooleanValue(Bool);
                break;
            case AdtValueKind.Number when Element.ValueKind == JsonValueKind.Number:
                Element.WriteTo(writer);
                break;
            case AdtValueKind.Number:
                writer.WriteNumberValue(Number);
                break;
            case AdtValueKind.String:
                writer.WriteStringValue(Text);
                break;
            default:
                Element.WriteTo(writer);
                break;
        }
    }
}
