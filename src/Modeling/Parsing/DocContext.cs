namespace TwinCluster.Modeling.Parsing;

/// <summary>The active JSON-LD context of an element: DTDL version and the extensions in scope.</summary>
internal sealed record DocContext(int Version, bool Quantitative, bool IotCentral, IReadOnlySet<string> Extensions)
{
    /// <summary>True when the IoT Central context is in scope: its vocabulary is not modelled, so its terms are accepted unchecked.</summary>
    public bool HasOpaqueExtension => IotCentral;

    public int NameMaxLength => Version == 2 ? 64 : 512;

    public int DisplayNameMaxLength => Version == 2 ? 64 : 512;
}
