using System.Text.Json;
using TwinCluster.Grains.Adt;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// A twin or relationship as a query sees it. A twin read from the index has no snapshot (no ETag or times); one
/// read from its grain has. Its properties are parsed once, on first use.
/// </summary>
public abstract class AdtItem
{
    private JsonElement? _properties;

    /// <summary>The key that orders rows: the twin id, or source id and relationship id.</summary>
    public abstract string Key { get; }

    protected abstract string PropertiesJson { get; }

    public JsonElement Properties => _properties ??= Parse(PropertiesJson);

    /// <summary>The value at a path of members below this item; the item itself for an empty path.</summary>
    public AdtValue Get(IReadOnlyList<string> members)
    {
        if (members.Count == 0)
        {
            return AdtValue.Item;
        }

        var system = System(members);
        if (system is not null)
        {
            return system.Value;
        }

        var element = Properties;
        foreach (var member in members)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(member, out element))
            {
                return AdtValue.Undefined;
            }
        }

        return AdtValue.From(element);
    }

    /// <summary>The value of a <c>$</c> member such as <c>$dtId</c>; null when the path is a plain property path.</summary>
    protected abstract AdtValue? System(IReadOnlyList<string> members);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        return document.RootElement.Clone();
    }
}

/// <summary>A twin: from the index (<see cref="Snapshot"/> null) or from its grain.</summary>
public sealed class AdtTwin : AdtItem
{
    public AdtTwin(IndexEntry entry) => (Id, ModelId, Json) = (entry.TwinId, entry.ModelId, entry.PropertiesJson);

    public AdtTwin(TwinSnapshot snapshot)
    {
        (Id, ModelId, Json) = (snapshot.Id, snapshot.ModelId, snapshot.PropertiesJson);
        Snapshot = snapshot;
    }

    public string Id { get; }

    public string ModelId { get; }

    public TwinSnapshot? Snapshot { get; }

    public override string Key => Id;

    private string Json { get; }

    protected override string PropertiesJson => Json;

    protected override AdtValue? System(IReadOnlyList<string> members) => members[0] switch
    {
        "$dtId" when members.Count == 1 => AdtValue.Of(Id),
        "$etag" when members.Count == 1 => Snapshot is { } s ? AdtValue.Of(AdtJson.ETag(s.ETag)) : AdtValue.Undefined,
        "$metadata" when members.Count == 2 && members[1] == "$model" => AdtValue.Of(ModelId),
        "$metadata" when members.Count == 2 && members[1] == "$lastUpdateTime" && Snapshot is { } s => AdtValue.Of(AdtJson.Time(s.UpdatedAt)),
        "$metadata" when members.Count == 1 => AdtValue.Item,
        var name when name.StartsWith('$') => AdtValue.Undefined,
        _ => null,
    };
}

/// <summary>A relationship, with the twin that holds it.</summary>
public sealed class AdtRelationship(Relationship relationship) : AdtItem
{
    public Relationship Relationship { get; } = relationship;

    public override string Key => Relationship.SourceId + "\u0001" + Relationship.Id;

    protected override string PropertiesJson => Relationship.PropertiesJson;

    protected override AdtValue? System(IReadOnlyList<string> members) => members.Count != 1 ? null : members[0] switch
    {
        "$relationshipId" => AdtValue.Of(Relationship.Id),
        "$sourceId" => AdtValue.Of(Relationship.SourceId),
        "$targetId" => AdtValue.Of(Relationship.TargetId),
        "$relationshipName" => AdtValue.Of(Relationship.Name),
        "$etag" => AdtValue.Of(AdtJson.RelationshipETag(Relationship)),
        var name when name.StartsWith('$') => AdtValue.Undefined,
        _ => null,
    };
}
