namespace TwinCluster.Modeling;

/// <summary>A DTDL Component: an interface included by value.</summary>
public sealed class ComponentModel : ContentModel
{
    /// <summary>DTMI of the component's interface.</summary>
    public string SchemaId { get; internal set; } = string.Empty;
}
