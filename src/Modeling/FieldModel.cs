namespace TwinCluster.Modeling;

/// <summary>A field of an Object schema, a MapKey or a MapValue.</summary>
public sealed class FieldModel : NamedElement
{
    /// <summary>The field's schema.</summary>
    public Schema Schema { get; internal set; } = PrimitiveSchema.String;

    /// <summary>Semantic type (v2, or v3 with QuantitativeTypes), or null.</summary>
    public string? SemanticType { get; internal set; }

    /// <summary>Unit, or null.</summary>
    public string? Unit { get; internal set; }
}
