using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TwinCluster.Modeling;

/// <summary>Checks JSON values against DTDL schemas.</summary>
internal static partial class ValueValidator
{
    [GeneratedRegex(@"^-?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationRegex();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeRegex();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeRegex();

    private const int MaxDepth = 32;

    public static void Validate(Schema schema, JsonElement value, string path, string code, List<ModelError> errors, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            errors.Add(new ModelError(code, "The value is nested too deeply.", path));
            return;
        }

        switch (schema)
        {
            case PrimitiveSchema p:
                if (!CheckPrimitive(p.Kind, value))
                {
                    errors.Add(new ModelError(code, $"Expected {Article(p.Term)} {p.Term}, got {Show(value)}.", path));
                }

                break;
            case EnumSchema e:
                ValidateEnum(e, value, path, code, errors);
                break;
            case ObjectSchema o:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new ModelError(code, $"Expected an object, got {Show(value)}.", path));
                    break;
                }

                foreach (var member in value.EnumerateObject())
                {
                    var field = FindField(o, member.Name);
                    var fpath = Child(path, member.Name);
                    if (field is null)
                    {
                        errors.Add(new ModelError(code, $"'{member.Name}' is not a field of the object (fields: {string.Join(", ", o.Fields.Select(f => f.Name))}).", fpath));
                        continue;
                    }

                    Validate(field.Schema, member.Value, fpath, code, errors, depth + 1);
                }

                break;
            case MapSchema m:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new ModelError(code, $"Expected a map (JSON object), got {Show(value)}.", path));
                    break;
                }

                foreach (var member in value.EnumerateObject())
                {
                    Validate(m.MapValue.Schema, member.Value, Child(path, member.Name), code, errors, depth + 1);
                }

                break;
            case ArraySchema a:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(new ModelError(code, $"Expected an array, got {Show(value)}.", path));
                    break;
                }

                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Validate(a.ElementSchema, item, $"{path}[{i++}]", code, errors, depth + 1);
                }

                break;
        }
    }

    private static FieldModel? FindField(ObjectSchema o, string name)
    {
        foreach (var f in o.Fields)
        {
            if (string.Equals(f.Name, name, StringComparison.Ordinal))
            {
                return f;
            }
        }

        return null;
    }

    private static void ValidateEnum(EnumSchema e, JsonElement value, string path, string code, List<ModelError> errors)
    {
        if (e.ValueSchema == PrimitiveKind.Integer ? value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _) : value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ModelError(code, $"Expected an enum value ({(e.ValueSchema == PrimitiveKind.Integer ? "integer" : "string")}), got {Show(value)}.", path));
            return;
        }

        foreach (var v in e.Values)
        {
            if (v.Value is int n ? value.ValueKind == JsonValueKind.Number && value.GetInt32() == n : value.ValueKind == JsonValueKind.String && value.ValueEquals((string)v.Value))
            {
                return;
            }
        }

        errors.Add(new ModelError(code, $"{Show(value)} is not one of the enum values ({string.Join(", ", e.Values.Select(v => v.Value is string s ? $"\"{s}\"" : v.Value.ToString()))}).", path));
    }

    internal static string Child(string path, string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    private static string Article(string term) => term.Length > 0 && "aeiuAEIU".Contains(term[0], StringComparison.Ordinal) ? "an" : "a";

    internal static string Show(JsonElement value)
    {
        var raw = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Null => "null",
            _ => value.GetRawText(),
        };
        return raw.Length > 60 ? raw[..57] + "..." : raw;
    }

    private static bool CheckPrimitive(PrimitiveKind kind, JsonElement v)
    {
        switch (kind)
        {
            case PrimitiveKind.Boolean:
                return v.ValueKind is JsonValueKind.True or JsonValueKind.False;
            case PrimitiveKind.Integer:
                return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out _);
            case PrimitiveKind.Long:
                return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _);
            case PrimitiveKind.Short:
                return v.ValueKind == JsonValueKind.Number && v.TryGetInt16(out _);
            case PrimitiveKind.Byte:
                return v.ValueKind == JsonValueKind.Number && v.TryGetSByte(out _);
            case PrimitiveKind.UnsignedByte:
                return v.ValueKind == JsonValueKind.Number && v.TryGetByte(out _);
            case PrimitiveKind.UnsignedShort:
                return v.ValueKind == JsonValueKind.Number && v.TryGetUInt16(out _);
            case PrimitiveKind.UnsignedInteger:
                return v.ValueKind == JsonValueKind.Number && v.TryGetUInt32(out _);
            case PrimitiveKind.UnsignedLong:
                return v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out _);
            case PrimitiveKind.Double:
                return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d);
            case PrimitiveKind.Float:
                return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var f) && double.IsFinite(f) && Math.Abs(f) <= float.MaxValue;
            case PrimitiveKind.Decimal:
                return v.ValueKind == JsonValueKind.Number
                    || (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            case PrimitiveKind.String:
                return v.ValueKind == JsonValueKind.String;
            case PrimitiveKind.Uuid:
                return v.ValueKind == JsonValueKind.String && Guid.TryParse(v.GetString(), out _);
            case PrimitiveKind.Bytes:
                return v.ValueKind == JsonValueKind.String && IsBase64(v.GetString()!);
            case PrimitiveKind.Date:
                return v.ValueKind == JsonValueKind.String && DateRegex().IsMatch(v.GetString()!)
                    && DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
            case PrimitiveKind.DateTime:
                return v.ValueKind == JsonValueKind.String && DateTimeRegex().IsMatch(v.GetString()!)
                    && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
            case PrimitiveKind.Time:
                return v.ValueKind == JsonValueKind.String && TimeRegex().IsMatch(v.GetString()!) && ValidTime(v.GetString()!);
            case PrimitiveKind.Duration:
                return v.ValueKind == JsonValueKind.String && DurationRegex().IsMatch(v.GetString()!);
            default:
                return CheckGeo(kind, v);
        }
    }

    private static bool ValidTime(string s) => int.Parse(s.AsSpan(0, 2), CultureInfo.InvariantCulture) < 24
        && int.Parse(s.AsSpan(3, 2), CultureInfo.InvariantCulture) < 60 && int.Parse(s.AsSpan(6, 2), CultureInfo.InvariantCulture) < 61;

    private static bool IsBase64(string s)
    {
        var buffer = new byte[(s.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(s, buffer, out _);
    }

    private static bool CheckGeo(PrimitiveKind kind, JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !v.TryGetProperty("coordinates", out var coordinates))
        {
            return false;
        }

        var (name, nesting) = kind switch
        {
            PrimitiveKind.Point => ("Point", 0),
            PrimitiveKind.MultiPoint => ("MultiPoint", 1),
            PrimitiveKind.LineString => ("LineString", 1),
            PrimitiveKind.MultiLineString => ("MultiLineString", 2),
            PrimitiveKind.Polygon => ("Polygon", 2),
            _ => ("MultiPolygon", 3),
        };
        return type.ValueEquals(name) && Positions(coordinates, nesting);
    }

    private static bool Positions(JsonElement v, int nesting)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        if (nesting == 0)
        {
            var n = v.GetArrayLength();
            return n is 2 or 3 && v.EnumerateArray().All(c => c.ValueKind == JsonValueKind.Number);
        }

        return v.EnumerateArray().All(item => Positions(item, nesting - 1));
    }
}
