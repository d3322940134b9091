namespace TwinCluster.Modeling;

/// <summary>Common data of every DTDL element: identifier, types, and the descriptive strings.</summary>
public abstract class ModelElement
{
    /// <summary>The element's DTMI, explicit or assigned automatically from its parent.</summary>
    public string Id { get; internal set; } = string.Empty;

    /// <summary>Additional co-types (semantic types, extension types, undefined co-types).</summary>
    public IReadOnlyList<string> CoTypes { get; internal set; } = [];

    /// <summary>Localizable display name, or null.</summary>
    public LocalizedText? DisplayName { get; internal set; }

    /// <summary>Localizable description, or null.</summary>
    public LocalizedText? Description { get; internal set; }

    /// <summary>Comment for model authors, or null.</summary>
    public string? Comment { get; internal set; }

    /// <summary>
    /// Values of the properties that extension adjunct types add (e.g. <c>annotates</c>, <c>overrides</c>, <c>ttl</c>,
    /// <c>index</c>, <c>payloadFormat</c>): a string, an int or a bool, checked against the extension's table.
    /// </summary>
    public IReadOnlyDictionary<string, object> ExtensionProperties { get; internal set; } = s_noExtensionProperties;

    private static readonly Dictionary<string, object> s_noExtensionProperties = new(StringComparer.Ordinal);

    /// <summary>JSON path of the element in its source.</summary>
    public string Path { get; internal set; } = "$";

    /// <summary>Name of the source the element was read from.</summary>
    public string? SourceName { get; internal set; }
}
