namespace TwinCluster.Modeling;

/// <summary>A DTDL Telemetry: data emitted by a twin.</summary>
public sealed class TelemetryModel : ContentModel
{
    /// <summary>The payload's schema.</summary>
    public Schema Schema { get; internal set; } = PrimitiveSchema.String;

    /// <summary>Semantic type (e.g. "Temperature"), or null.</summary>
    public string? SemanticType { get; internal set; }

    /// <summary>Unit (e.g. "degreeCelsius"), or null.</summary>
    public string? Unit { get; internal set; }
}
