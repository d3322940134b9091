namespace TwinCluster.Modeling;

/// <summary>A DTDL Interface with its inheritance resolved: the dictionaries include inherited contents.</summary>
public sealed class InterfaceModel : ModelElement
{
    private static readonly Dictionary<string, PropertyModel> s_noProperties = [];

    internal List<ContentModel> OwnContents { get; } = [];

    internal List<Schema> OwnSchemas { get; } = [];

    internal HashSet<string> AllBasesSet { get; set; } = new(StringComparer.Ordinal);

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

    /// <summary>The JSON text of this interface's own document (the top-level document it was read from).</summary>
    public string SourceJson { get; internal set; } = string.Empty;

    /// <inheritdoc/>
    public override string ToString() => Id;
}
