namespace TwinCluster.Modeling.Parsing;

/// <summary>The terms of DTDL v2, v3 and v4: classes, their properties, primitive schemas and reserved words.</summary>
internal static class Vocabulary
{
    internal sealed record ClassSpec(string Name, string[] Properties, bool TypeOptional, bool SemanticTypes);

    private static readonly string[] s_descriptive = ["comment", "description", "displayName"];

    private static string[] P(params string[] props) => [.. s_descriptive, .. props];

    private static readonly Dictionary<string, ClassSpec> s_v2 = new[]
    {
        new ClassSpec("Interface", P("contents", "extends", "schemas"), false, false),
        new ClassSpec("Telemetry", P("name", "schema"), false, true),
        new ClassSpec("Property", P("name", "schema", "writable"), false, true),
        new ClassSpec("Command", P("name", "commandType", "request", "response"), false, false),
        new ClassSpec("CommandPayload", P("name", "schema"), true, false),
        new ClassSpec("Relationship", P("name", "maxMultiplicity", "minMultiplicity", "properties", "target", "writable"), false, false),
        new ClassSpec("Component", P("name", "schema"), false, false),
        new ClassSpec("Array", P("elementSchema"), false, false),
        new ClassSpec("Enum", P("enumValues", "valueSchema"), false, false),
        new ClassSpec("EnumValue", P("name", "enumValue"), true, false),
        new ClassSpec("Map", P("mapKey", "mapValue"), false, false),
        new ClassSpec("MapKey", P("name", "schema"), true, false),
        new ClassSpec("MapValue", P("name", "schema"), true, false),
        new ClassSpec("Object", P("fields"), false, false),
        new ClassSpec("Field", P("name", "schema"), true, false),
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, ClassSpec> s_v3 = new[]
    {
        new ClassSpec("Interface", P("contents", "extends", "schemas"), false, false),
        new ClassSpec("Telemetry", P("name", "schema"), false, true),
        new ClassSpec("Property", P("name", "schema", "writable"), false, true),
        new ClassSpec("Command", P("name", "commandType", "request", "response"), false, false),
        new ClassSpec("CommandRequest", P("name", "schema"), true, true),
        new ClassSpec("CommandResponse", P("name", "schema"), true, true),
        new ClassSpec("Relationship", P("name", "maxMultiplicity", "minMultiplicity", "properties", "target", "writable"), false, false),
        new ClassSpec("Component", P("name", "schema"), false, false),
        new ClassSpec("Array", P("elementSchema"), false, false),
        new ClassSpec("Enum", P("enumValues", "valueSchema"), false, false),
        new ClassSpec("EnumValue", P("name", "enumValue"), true, false),
        new ClassSpec("Map", P("mapKey", "mapValue"), false, false),
        new ClassSpec("MapKey", P("name", "schema"), true, false),
        new ClassSpec("MapValue", P("name", "schema"), true, true),
        new ClassSpec("Object", P("fields"), false, false),
        new ClassSpec("Field", P("name", "schema"), true, true),
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, ClassSpec> s_v4 = s_v3.Values
        .Select(c => c.Name is "CommandRequest" or "CommandResponse" ? c with { Properties = [.. c.Properties, "nullable"] } : c)
        .Select(c => c.Name is "Interface" ? c with { Properties = [.. c.Properties] } : c)
        .ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static readonly string[] ContentClasses = ["Telemetry", "Property", "Command", "Relationship", "Component"];
    public static readonly string[] ComplexSchemaClasses = ["Array", "Enum", "Map", "Object"];

    private static readonly Dictionary<string, PrimitiveKind> s_primitivesV2 = new(StringComparer.Ordinal)
    {
        ["boolean"] = PrimitiveKind.Boolean,
        ["date"] = PrimitiveKind.Date,
        ["dateTime"] = PrimitiveKind.DateTime,
        ["double"] = PrimitiveKind.Double,
        ["duration"] = PrimitiveKind.Duration,
        ["float"] = PrimitiveKind.Float,
        ["integer"] = PrimitiveKind.Integer,
        ["long"] = PrimitiveKind.Long,
        ["string"] = PrimitiveKind.String,
        ["time"] = PrimitiveKind.Time,
        ["point"] = PrimitiveKind.Point,
        ["multiPoint"] = PrimitiveKind.MultiPoint,
        ["lineString"] = PrimitiveKind.LineString,
        ["multiLineString"] = PrimitiveKind.MultiLineString,
        ["polygon"] = PrimitiveKind.Polygon,
        ["multiPolygon"] = PrimitiveKind.MultiPolygon,
    };

    private static readonly Dictionary<string, PrimitiveKind> s_primitivesV4 = new(s_primitivesV2, StringComparer.Ordinal)
    {
        ["byte"] = PrimitiveKind.Byte,
        ["bytes"] = PrimitiveKind.Bytes,
        ["decimal"] = PrimitiveKind.Decimal,
        ["short"] = PrimitiveKind.Short,
        ["unsignedByte"] = PrimitiveKind.UnsignedByte,
        ["unsignedShort"] = PrimitiveKind.UnsignedShort,
        ["unsignedInteger"] = PrimitiveKind.UnsignedInteger,
        ["unsignedLong"] = PrimitiveKind.UnsignedLong,
        ["uuid"] = PrimitiveKind.Uuid,
    };

    // Terms that belong to the language but are neither classes usable as @type nor properties of a given class:
    // using them in the wrong place is an error even on an element with an undefined co-type.
    private static readonly HashSet<string> s_reservedTerms = new(StringComparer.Ordinal)
    {
        "Entity", "NamedEntity", "Content", "Schema", "ComplexSchema", "PrimitiveSchema", "SchemaField", "CommandType",
        "Unit", "UnitAttribute", "SemanticType", "SemanticUnit", "LatentType", "QuantitativeType", "CommandPayload",
        "CommandRequest", "CommandResponse", "Interface", "Telemetry", "Property", "Command", "Relationship", "Component",
        "Array", "Enum", "EnumValue", "Map", "MapKey", "MapValue", "Object", "Field", "synchronous", "asynchronous",
        "comment", "contents", "description", "displayName", "extends", "schemas", "name", "schema", "writable", "unit",
        "commandType", "request", "response", "maxMultiplicity", "minMultiplicity", "properties", "target", "elementSchema",
        "enumValues", "valueSchema", "enumValue", "mapKey", "mapValue", "fields", "nullable", "languageMajorVersion",
        "byte", "bytes", "decimal", "short", "unsignedByte", "unsignedShort", "unsignedInteger", "unsignedLong", "uuid",
    };

    // Adjunct types of the feature extensions (annotation, historization, overriding, mqtt by version, requirement). Their own
    // properties are not modelled: an element carrying one of them may have further properties.
    private static readonly Dictionary<string, string[]> s_extensionTypes = new(StringComparer.Ordinal)
    {
        ["annotation"] = ["ValueAnnotation"],
        ["historization"] = ["Historized"],
        ["overriding"] = ["Override"],
        ["mqtt;1"] = ["Mqtt", "Idempotent", "Cacheable", "Indexed"],
        ["mqtt;2"] = ["Mqtt", "Idempotent", "Cacheable", "Indexed", "Transparent"],
        ["mqtt;3"] = ["Mqtt", "Idempotent", "Cacheable", "Indexed", "Transparent", "Result", "NormalResult", "ErrorResult", "Error", "ErrorMessage"],
        ["requirement"] = ["Required"],
    };

    /// <summary>True when <paramref name="term"/> is an adjunct type of one of the extensions in scope.</summary>
    public static bool IsExtensionType(IReadOnlySet<string> extensions, string term)
    {
        foreach (var extension in extensions)
        {
            if (s_extensionTypes.TryGetValue(extension, out var types) && Array.IndexOf(types, term) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    public static IReadOnlyDictionary<string, ClassSpec> Classes(int version) => version switch
    {
        2 => s_v2,
        3 => s_v3,
        _ => s_v4,
    };

    public static IReadOnlyDictionary<string, PrimitiveKind> Primitives(int version) => version >= 4 ? s_primitivesV4 : s_primitivesV2;

    public static bool IsReservedTerm(string term, int version, bool quantitative)
    {
        if (s_reservedTerms.Contains(term) || s_primitivesV2.ContainsKey(term))
        {
            return true;
        }

        var units = version == 2 ? UnitTables.V2 : quantitative ? UnitTables.Quantitative : null;
        return units is not null && (units.ContainsKey(term) || UnitTypes(version, quantitative).Contains(term) || AllUnits(version, quantitative).Contains(term));
    }

    public static IReadOnlyDictionary<string, (string UnitType, string Units)>? SemanticTypes(int version, bool quantitative) =>
        version == 2 ? UnitTables.V2 : quantitative ? UnitTables.Quantitative : null;

    private static readonly HashSet<string> s_unitTypesV2 = [.. UnitTables.V2.Values.Select(v => v.UnitType)];
    private static readonly HashSet<string> s_unitTypesQ = [.. UnitTables.Quantitative.Values.Select(v => v.UnitType)];
    private static readonly HashSet<string> s_unitsV2 = [.. UnitTables.V2.Values.SelectMany(v => v.Units.Split(' '))];
    private static readonly HashSet<string> s_unitsQ = [.. UnitTables.Quantitative.Values.SelectMany(v => v.Units.Split(' '))];

    public static HashSet<string> UnitTypes(int version, bool quantitative) => version == 2 ? s_unitTypesV2 : quantitative ? s_unitTypesQ : [];

    public static HashSet<string> AllUnits(int version, bool quantitative) => version == 2 ? s_unitsV2 : quantitative ? s_unitsQ : [];

    /// <summary>True when the unit belongs to the semantic type's unit type.</summary>
    public static bool UnitMatches(int version, bool quantitative, string semanticType, string unit)
    {
        var table = SemanticTypes(version, quantitative);
        return table is not null && table.TryGetValue(semanticType, out var entry) && entry.Units.Split(' ').Contains(unit, StringComparer.Ordinal);
    }
}
