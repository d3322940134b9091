namespace TwinCluster.Modeling;

/// <summary>A Map schema: string keys to values of one schema.</summary>
public sealed class MapSchema : Schema
{
    /// <summary>The key element (its schema is always string).</summary>
    public FieldModel MapKey { get; internal set; } = new();

    /// <summary>The value element.</summary>
    public FieldModel MapValue { get; internal set; } = new();

    /// <inheritdoc/>
    public override string Describe() => $"Map<string, {MapValue.Schema.Describe()}>";
}
