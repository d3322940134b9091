using System.Globalization;
using System.Text.RegularExpressions;

namespace TwinCluster.Modeling.Parsing;

/// <summary>
/// The metamodel of the language, read from the generated rows of the specification's tables (SpecTables.g.cs):
/// which properties each class has, whether they are required, their data type and cardinality, their numeric and
/// length limits, and for each extension which classes its adjunct types may co-type and the properties they add.
/// </summary>
internal static partial class SpecTables
{
    /// <summary>How a property's value is read, from the table's "Data type" column.</summary>
    internal enum ValueKind
    {
        Other,
        String,
        LocalizableString,
        Boolean,
        Integer,
        Duration,
        Iri,
        Dtmi,
    }

    /// <summary>One row of a property table, interpreted.</summary>
    internal sealed record PropertyRule(
        string Owner, string Name, bool Required, bool RequiredWithSemanticType, string DataType, ValueKind Kind, bool IsSet,
        int? MaxLength, long? Min, long? Max, string Limits, string Table)
    {
        /// <summary>"DTDL v3 Relationship table: maxMultiplicity must be >= 1" for error messages.</summary>
        public string Rule(string detail) => $"{Table}: '{Name}' {detail}";
    }

    /// <summary>An extension's adjunct type: the classes it may co-type, co-types it needs, and the properties it adds.</summary>
    internal sealed record AdjunctSpec(string Extension, string Context, string Type, string[] CoTypes, string[] RequiresCoTypes, PropertyRule[] Properties);

    private static readonly Regex s_maxLength = new(@"max (\d[\d,]*) characters", RegexOptions.CultureInvariant);
    private static readonly Regex s_min = new(@"must be >= (\d+)", RegexOptions.CultureInvariant);
    private static readonly Regex s_max = new(@"must be <= (\d+)", RegexOptions.CultureInvariant);
    private static readonly Regex s_exact = new(@"must be = (\d+)", RegexOptions.CultureInvariant);

    private static PropertyRule Interpret(string owner, string name, string required, string dataType, string limits, string table)
    {
        var kind = dataType switch
        {
            "string" => ValueKind.String,
            "localizable string" => ValueKind.LocalizableString,
            "boolean" => ValueKind.Boolean,
            "integer" => ValueKind.Integer,
            "duration" => ValueKind.Duration,
            "IRI" => ValueKind.Iri,
            "DTMI" => ValueKind.Dtmi,
            _ => ValueKind.Other,
        };
        long? Number(Regex r) => r.Match(limits) is { Success: true } m ? long.Parse(m.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture) : null;
        var exact = Number(s_exact);
        return new PropertyRule(
            owner, name, required == "required", required.StartsWith("required when semantic type", StringComparison.Ordinal), dataType, kind,
            dataType.StartsWith("set of", StringComparison.Ordinal), (int?)Number(s_maxLength), exact ?? Number(s_min), exact ?? Number(s_max), limits, table);
    }

    // Built on first use: static initialisers of a partial class run in no defined order across its files.
    private static Dictionary<(int Version, string Class), Dictionary<string, PropertyRule>>? s_rulesCache;
    private static Dictionary<string, AdjunctSpec>? s_adjunctsCache;

    private static Dictionary<(int Version, string Class), Dictionary<string, PropertyRule>> AllRules => s_rulesCache ??= BuildRules();

    private static Dictionary<(int, string), Dictionary<string, PropertyRule>> BuildRules()
    {
        var rules = new Dictionary<(int, string), Dictionary<string, PropertyRule>>();
        foreach (var (version, cls, property, required, dataType, limits) in s_classRows)
        {
            if (!rules.TryGetValue((version, cls), out var byName))
            {
                rules[(version, cls)] = byName = new Dictionary<string, PropertyRule>(StringComparer.Ordinal);
            }

            byName[property] = Interpret(cls, property, required, dataType, limits, $"DTDL v{version} {cls} table");
        }

        return rules;
    }

    /// <summary>The property rules of a class (v4 uses the v3 tables), keyed by property term (including @type, @id).</summary>
    public static IReadOnlyDictionary<string, PropertyRule> Rules(int version, string cls) =>
        AllRules.TryGetValue((Math.Min(version, 3), cls), out var rules) ? rules : s_none;

    private static readonly Dictionary<string, PropertyRule> s_none = new(StringComparer.Ordinal);

    private static Dictionary<(int Version, string Class), PropertyRule[]>? s_requiredCache;

    /// <summary>The rules of a class's required (non-keyword) properties, as an array for the hot path.</summary>
    public static PropertyRule[] RequiredRules(int version, string cls) =>
        (s_requiredCache ??= AllRules.ToDictionary(p => p.Key, p => p.Value.Values.Where(r => r.Required && r.Name[0] != '@').ToArray()))
            .TryGetValue((Math.Min(version, 3), cls), out var rules) ? rules : [];

    /// <summary>Classes of the version's core tables.</summary>
    public static IEnumerable<string> ClassNames(int version) => AllRules.Keys.Where(k => k.Version == Math.Min(version, 3) && k.Class != "ComplexSchemaInSchemas").Select(k => k.Class);

    /// <summary>True when the class's @type row says @type is optional ("If provided, must be ...").</summary>
    public static bool TypeOptional(int version, string cls) => Rules(version, cls).TryGetValue("@type", out var r) && !r.Required;

    /// <summary>Classes a semantic type may co-type: v2 from its @type rows, v3 from the QuantitativeTypes document.</summary>
    public static IReadOnlyList<string> SemanticClasses(int version) => version == 2 ? s_semanticClassesV2 : s_extensions.First(e => e.Name == "quantitativeTypes").SemanticClasses;

    /// <summary>The adjunct types of the extensions whose documents are in the specification (version 1 of each).</summary>
    public static IReadOnlyDictionary<string, AdjunctSpec> Adjuncts => s_adjunctsCache ??= s_extensions
        .SelectMany(e => e.Adjuncts.Select(a => new AdjunctSpec(
            e.Name, e.Context, a.Type, a.CoTypes, a.RequiresCoTypes,
            [.. a.Properties.Select(p => Interpret(a.Type, p.Property, p.Required, p.DataType, p.Limits, $"{e.Context} {a.Type} table"))])))
        .ToDictionary(a => a.Type, StringComparer.Ordinal);

    /// <summary>The extension-version key ("mqtt;1") under which an adjunct type's rules hold.</summary>
    public static string ExtensionKey(AdjunctSpec a) => a.Context["dtmi:dtdl:extension:".Length..];

    /// <summary>Semantic type → (unit type, units) of DTDL v2 and of QuantitativeTypes v1.</summary>
    public static Dictionary<string, (string UnitType, string Units)> Units(bool quantitative) =>
        (quantitative ? s_unitsQuantitative : s_unitsV2).ToDictionary(r => r.SemanticType, r => (r.UnitType, string.Join(' ', r.Units)), StringComparer.Ordinal);
}
