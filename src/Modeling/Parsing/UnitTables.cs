namespace TwinCluster.Modeling.Parsing;

// Semantic types, their unit types and units: the tables of the DTDL v2 language document and of the QuantitativeTypes
// v1 extension document, as generated into SpecTables.g.cs.
internal static class UnitTables
{
    public static readonly Dictionary<string, (string UnitType, string Units)> V2 = SpecTables.Units(quantitative: false);

    public static readonly Dictionary<string, (string UnitType, string Units)> Quantitative = SpecTables.Units(quantitative: true);

    /// <summary>Unit type → its units, for unit types used as schemas (QuantitativeTypes).</summary>
    public static readonly Dictionary<string, string[]> UnitsOfType = Quantitative.Values
        .GroupBy(v => v.UnitType, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.SelectMany(v => v.Units.Split(' ')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
}
