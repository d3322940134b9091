namespace TwinCluster.Modeling;

/// <summary>An element of an interface's contents: Property, Telemetry, Command, Relationship or Component.</summary>
public abstract class ContentModel : NamedElement
{
    /// <summary>DTMI of the interface that declares this content (differs from the owner when inherited).</summary>
    public string DefinedIn { get; internal set; } = string.Empty;

    /// <summary>True when co-typed Historized (Historization extension): the service records its values over time.</summary>
    public bool IsHistorized => CoTypes.Contains("Historized");

    /// <summary>For a ValueAnnotation (Annotation extension): the name of the Property or Telemetry it annotates, else null.</summary>
    public string? Annotates => ExtensionProperties.TryGetValue("annotates", out var v) ? v as string : null;
}
