namespace TwinCluster.Modeling;

/// <summary>An element of an interface's contents: Property, Telemetry, Command, Relationship or Component.</summary>
public abstract class ContentModel : NamedElement
{
    /// <summary>DTMI of the interface that declares this content (differs from the owner when inherited).</summary>
    public string DefinedIn { get; internal set; } = string.Empty;
}
