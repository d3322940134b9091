namespace TwinCluster.Modeling;

/// <summary>An Array schema: elements of one schema.</summary>
public sealed class ArraySchema : Schema
{
    /// <summary>The schema of each element.</summary>
    public Schema ElementSchema { get; internal set; } = PrimitiveSchema.String;

    /// <inheritdoc/>
    public override string Describe() => $"Array<{ElementSchema.Describe()}>";
}
