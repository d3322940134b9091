namespace TwinCluster.Modeling.Parsing;

/// <summary>The active JSON-LD context of an element: DTDL version and the extensions in scope.</summary>
internal sealed record DocContext(int Version, bool Quantitative, bool IotCentral, IReadOnlySet<string> Extensions)
{
    /// <summary>True when the IoT Central context is in scope: its vocabulary is not modelled, so its terms are accepted unchecked.</summary>
    public bool HasOpaqueExtension => IotCentral;

    // From the specification's tables (the Property table's rows; every class has the same limits).
    private static readonly int s_nameV2 = SpecTables.Rules(2, "Property")["name"].MaxLength ?? 64;
    private static readonly int s_nameV3 = SpecTables.Rules(3, "Property")["name"].MaxLength ?? 512;
    private static readonly int s_displayNameV2 = SpecTables.Rules(2, "Property")["displayName"].MaxLength ?? 64;
    private static readonly int s_displayNameV3 = SpecTables.Rules(3, "Property")["displayName"].MaxLength ?? 512;

    public int NameMaxLength => Version == 2 ? s_nameV2 : s_nameV3;

    public int DisplayNameMaxLength => Version == 2 ? s_displayNameV2 : s_displayNameV3;
}
