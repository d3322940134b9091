namespace TwinCluster.Modeling;

/// <summary>An Enum schema: named values of one primitive type (integer or string).</summary>
public sealed class EnumSchema : Schema
{
    /// <summary>The values' primitive type (integer or string).</summary>
    public PrimitiveKind ValueSchema { get; internal set; } = PrimitiveKind.String;

    /// <summary>The enum values in declaration order.</summary>
    public IReadOnlyList<EnumValueModel> Values { get; internal set; } = [];

    /// <summary>
    /// For a unit type used as a schema (QuantitativeTypes, e.g. "TemperatureUnit"): its name, the values being its
    /// units; null for an Enum defined in a model.
    /// </summary>
    public string? UnitType { get; internal set; }

    /// <inheritdoc/>
    public override string Describe() => UnitType ?? $"Enum<{PrimitiveSchema.Of(ValueSchema).Term}>";
}
