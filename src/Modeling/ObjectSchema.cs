namespace TwinCluster.Modeling;

/// <summary>An Object schema: named fields.</summary>
public sealed class ObjectSchema : Schema
{
    /// <summary>Fields in declaration order.</summary>
    public IReadOnlyList<FieldModel> Fields { get; internal set; } = [];

    /// <inheritdoc/>
    public override string Describe() => "Object";
}
