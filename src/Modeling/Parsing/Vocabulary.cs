namespace TwinCluster.Modeling.Parsing;

/// <summary>The terms of DTDL v2, v3 and v4: classes, their properties, primitive schemas and reserved words.</summary>
internal static class Vocabulary
{
    internal sealed record ClassSpec(string Name, string[] Properties, bool TypeOptional, bool SemanticTypes);

    // The classes and their properties come from the specification's tables (SpecTables.g.cs). `unit` is left out:
    // it belongs to an element only when a semantic type is present (v2 table, QuantitativeTypes extension).
    private static Dictionary<string, ClassSpec> Derive(int version) => SpecTables.ClassNames(version)
        .Select(c => new ClassSpec(
            c,
            [.. SpecTables.Rules(version, c).Keys.Where(k => k[0] != '@' && k != "unit"), .. NotInTables(version, c)],
            SpecTables.TypeOptional(version, c),
            SpecTables.SemanticClasses(version).Contains(c)))
        .ToDictionary(c => c.Name, StringComparer.Ordinal);

    // Written by hand: the v3 document dropped Command's commandType from its table, but the language still accepts it
    // (the reference parser's suite has valid v3 cases with "synchronous"/"asynchronous"), so it stays a v3 property.
    private static string[] NotInTables(int version, string cls) => version >= 3 && cls == "Command" ? ["commandType"] : [];

    private static readonly Dictionary<string, ClassSpec> s_v2 = Derive(2);

    private static readonly Dictionary<string, ClassSpec> s_v3 = Derive(3);

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

    /// <summary>
    /// The adjunct type's rules when the extension version whose document we have (version 1) is in scope; null for
    /// other versions, whose adjunct properties are accepted unchecked.
    /// </summary>
    public static SpecTables.AdjunctSpec? DocumentedAdjunct(IReadOnlySet<string> extensions, string term) =>
        SpecTables.Adjuncts.TryGetValue(term, out var adjunct) && extensions.Contains(SpecTables.ExtensionKey(adjunct)) ? adjunct : null;

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
