namespace TwinCluster.Modeling;

/// <summary>A command request or response (CommandPayload in v2, CommandRequest/CommandResponse in v3).</summary>
public sealed class CommandPayloadModel : NamedElement
{
    /// <summary>The payload's schema.</summary>
    public Schema Schema { get; internal set; } = PrimitiveSchema.String;

    /// <summary>True when the payload may be omitted (v3 nullable).</summary>
    public bool Nullable { get; internal set; }
}
