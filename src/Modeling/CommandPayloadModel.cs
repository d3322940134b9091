namespace TwinCluster.Modeling;

/// <summary>A command request or response (CommandPayload in v2, CommandRequest/CommandResponse in v3).</summary>
public sealed class CommandPayloadModel : NamedElement
{
    /// <summary>The payload's schema.</summary>
    public Schema Schema { get; internal set; } = PrimitiveSchema.String;

    /// <summary>True when the payload may be omitted (DTDL v4 nullable).</summary>
    public bool Nullable { get; internal set; }

    /// <summary>Semantic type (v3 with QuantitativeTypes), or null.</summary>
    public string? SemanticType { get; internal set; }

    /// <summary>Unit, or null.</summary>
    public string? Unit { get; internal set; }
}
