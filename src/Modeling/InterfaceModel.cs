namespace TwinCluster.Modeling;

/// <summary>A DTDL Interface with its inheritance resolved: the dictionaries include inherited contents.</summary>
public sealed class InterfaceModel : ModelElement
{
    private static readonly Dictionary<string, PropertyModel> s_noProperties = [];

    internal List<ContentModel> OwnContents { get; } = [];

    internal List<Schema> OwnSchemas { get; } = [];

    internal HashSet<string> AllBasesSet { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Identity of the top-level document the interface was read from.</summary>
    internal object? Document { get; set; }

    /// <summary>DTDL language version of the defining document (2, 3 or 4).</summary>
    public int DtdlVersion { get; internal set; }

    /// <summary>DTMIs of the direct base interfaces.</summary>
    public IReadOnlyList<string> Extends { get; internal set; } = [];

    /// <summary>DTMIs of all base interfaces, transitively, nearest first.</summary>
    public IReadOnlyList<string> AllBases { get; internal set; } = [];

    /// <summary>All contents by name, including inherited ones.</summary>
    public IReadOnlyDictionary<string, ContentModel> Contents { get; internal set; } = new Dictionary<string, ContentModel>();

    /// <summary>Properties by name, including inherited ones.</summary>
    public IReadOnlyDictionary<string, PropertyModel> Properties { get; internal set; } = s_noProperties;

    /// <summary>Telemetry by name, including inherited ones.</summary>
    public IReadOnlyDictionary<string, TelemetryModel> Telemetry { get; internal set; } = new Dictionary<string, TelemetryModel>();

    /// <summary>Relationships by name, including inherited ones.</summary>
    public IReadOnlyDictionary<string, RelationshipModel> Relationships { get; internal set; } = new Dictionary<string, RelationshipModel>();

    /// <summary>Components by name, including inherited ones.</summary>
    public IReadOnlyDictionary<string, ComponentModel> Components { get; internal set; } = new Dictionary<string, ComponentModel>();

    /// <summary>Commands by name, including inherited ones.</summary>
    public IReadOnlyDictionary<string, CommandModel> Commands { get; internal set; } = new Dictionary<string, CommandModel>();

    /// <summary>Reusable complex schemas declared in this interface's <c>schemas</c>.</summary>
    public IReadOnlyList<Schema> Schemas => OwnSchemas;

    /// <summary>
    /// The JSON text of the top-level document this interface was read from (one element of an array file, with its
    /// @context). Interfaces defined inline (in extends or as a component schema) share their parent's text, so parsing
    /// the distinct texts of a set of interfaces reproduces them.
    /// </summary>
    public string SourceJson { get; internal set; } = string.Empty;

    /// <summary>
    /// DTMIs of the interfaces outside <see cref="SourceJson"/> that the document needs: bases, component interfaces, and
    /// interfaces whose <c>schemas</c> define a complex schema it refers to (for a document with several interfaces,
    /// the union over all of them). Shipping these documents with this one makes it parse on its own.
    /// </summary>
    public IReadOnlyList<string> Dependencies { get; internal set; } = [];

    /// <summary>
    /// The Property (co-typed ValueAnnotation and Override) whose twin value overrides <paramref name="overridden"/>
    /// (e.g. "unit") of the content named <paramref name="contentName"/>, or null when none does.
    /// </summary>
    public PropertyModel? OverrideOf(string contentName, string overridden = "unit")
    {
        foreach (var property in Properties.Values)
        {
            if (property.Annotates == contentName && property.Overrides == overridden)
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>Contents co-typed Historized (Historization extension), including inherited ones, by name.</summary>
    public IEnumerable<ContentModel> Historized => Contents.Values.Where(c => c.IsHistorized);

    /// <inheritdoc/>
    public override string ToString() => Id;
}
