namespace TwinCluster.Modeling;

/// <summary>A DTDL Relationship: a link to other twins.</summary>
public sealed class RelationshipModel : ContentModel
{
    /// <summary>DTMI of the permitted target interface, or null for any.</summary>
    public string? Target { get; internal set; }

    /// <summary>Minimum number of instances, or null when unspecified.</summary>
    public int? MinMultiplicity { get; internal set; }

    /// <summary>Maximum number of instances, or null for unbounded.</summary>
    public int? MaxMultiplicity { get; internal set; }

    /// <summary>True when the relationship may be written by clients.</summary>
    public bool Writable { get; internal set; }

    /// <summary>Properties carried by each relationship instance, by name.</summary>
    public IReadOnlyDictionary<string, PropertyModel> Properties { get; internal set; } = new Dictionary<string, PropertyModel>();
}
