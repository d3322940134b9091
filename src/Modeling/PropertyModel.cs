namespace TwinCluster.Modeling;

/// <summary>A DTDL Property: state of a twin with a schema, optionally writable.</summary>
public sealed class PropertyModel : ContentModel
{
    /// <summary>The value's schema.</summary>
    public Schema Schema { get; internal set; } = PrimitiveSchema.String;

    /// <summary>True when a client may write the property.</summary>
    public bool Writable { get; internal set; }

    /// <summary>Semantic type (e.g. "Temperature"), or null.</summary>
    public string? SemanticType { get; internal set; }

    /// <summary>Unit (e.g. "degreeCelsius"), or null.</summary>
    public string? Unit { get; internal set; }

    /// <summary>
    /// For a Property co-typed ValueAnnotation and Override (Overriding extension): the property of the annotated
    /// element whose model value a twin's value of this Property replaces (e.g. "unit"), else null.
    /// </summary>
    public string? Overrides => ExtensionProperties.TryGetValue("overrides", out var v) ? v as string : null;
}
