namespace TwinCluster.Modeling;

/// <summary>An element with a programming name (contents, fields, enum values, payloads).</summary>
public abstract class NamedElement : ModelElement
{
    /// <summary>The programming name.</summary>
    public string Name { get; internal set; } = string.Empty;
}
