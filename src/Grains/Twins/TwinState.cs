using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

/// <summary>The persisted state of one twin.</summary>
[GenerateSerializer, Alias("tc.TwinState")]
public sealed class TwinState
{
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public string ModelId { get; set; } = "";

    [Id(2)] public string PropertiesJson { get; set; } = "{}";

    /// <summary>Outgoing relationships by relationship id.</summary>
    [Id(3)] public Dictionary<string, Relationship> Outgoing { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Incoming relationships keyed by <see cref="IncomingKey"/>.</summary>
    [Id(4)] public Dictionary<string, IncomingRelationship> Incoming { get; set; } = new(StringComparer.Ordinal);

    [Id(5)] public string ETag { get; set; } = "";

    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Per-property write and source times (see <see cref="PropertyTimes"/>); empty for twins written before they existed.</summary>
    [Id(8)] public Dictionary<string, PropertyTime> PropertyTimes { get; set; } = new(StringComparer.Ordinal);

    public static string IncomingKey(string sourceId, string relationshipId) => sourceId + "\n" + relationshipId;

    /// <summary>The container (source of the incoming <c>contains</c>), or null.</summary>
    public string? ParentId
    {
        get
        {
            foreach (var incoming in Incoming.Values)
            {
                if (incoming.Name == RelationshipNames.Contains)
                {
                    return incoming.SourceId;
                }
            }

            return null;
        }
    }

    public void Clear()
    {
        Exists = false;
        ModelId = "";
        PropertiesJson = "{}";
        Outgoing.Clear();
        Incoming.Clear();
        ETag = "";
        PropertyTimes.Clear();
    }

    public TwinSnapshot ToSnapshot(string id) => new(
        id,
        ModelId,
        PropertiesJson,
        [.. Outgoing.Values.OrderBy(r => r.Id, StringComparer.Ordinal)],
        [.. Incoming.Values.OrderBy(r => r.SourceId, StringComparer.Ordinal).ThenBy(r => r.RelationshipId, StringComparer.Ordinal)],
        ETag,
        CreatedAt,
        UpdatedAt,
        PropertyTimes.ToImmutableDictionary(StringComparer.Ordinal));

    public IndexEntry ToIndexEntry(string id) => new(id, ModelId, PropertiesJson, ParentId);
}
