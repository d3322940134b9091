namespace TwinCluster.Modeling.Parsing;

/// <summary>The active JSON-LD context of an element: DTDL version and the extensions in scope.</summary>
internal sealed record DocContext(int Version, bool Quantitative, bool IotCentral, IReadOnlySet<string> Extensions)
{
    /// <summary>True when an extension other than QuantitativeTypes is in scope: its terms are accepted without checking.</summary>
    public bool HasOpaqueExtension => Extensions.Count > (Quantitative ? 1 : 0);

    public int NameMaxLength => Version == 2 ? 64 : 512;

    public int DisplayNameMaxLength => Version == 2 ? 64 : 512;
}
