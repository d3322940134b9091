using System.Collections.Immutable;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Twins read from their grains during one query, each read once (so a twin reached twice is the same twin), and the
/// relationship steps JOIN and MATCH take from them. A step down <c>contains</c> that needs no relationship variable
/// is answered by the index shards (each twin's entry names its container), one call per shard for the whole
/// frontier, so walking a hierarchy reads no twin grain; other steps read the twins' relationships from their grains.
/// </summary>
public sealed class AdtGraph(IGrainFactory grains, IndexRouter index)
{
    private readonly Dictionary<string, AdtTwin?> _twins = new(StringComparer.Ordinal);

    public int Count => _twins.Count;

    /// <summary>Reads the twins not read yet, all at once.</summary>
    public async Task Load(IEnumerable<string> ids)
    {
        var missing = ids.Distinct(StringComparer.Ordinal).Where(id => !_twins.ContainsKey(id)).ToList();
        var snapshots = await Task.WhenAll(missing.Select(id => TwinId.Check(id) is null
            ? grains.GetGrain<ITwinGrain>(id).Get()
            : Task.FromResult<TwinSnapshot?>(null)));
        for (var i = 0; i < missing.Count; i++)
        {
            _twins[missing[i]] = snapshots[i] is { } s ? new AdtTwin(s) : null;
        }
    }

    /// <summary>A twin already loaded, or null when it does not exist.</summary>
    public AdtTwin? Twin(string id) => _twins.GetValueOrDefault(id);

    public async Task<List<AdtTwin>> Twins(IEnumerable<string> ids)
    {
        var list = ids.Distinct(StringComparer.Ordinal).ToList();
        await Load(list);
        return [.. list.Select(Twin).OfType<AdtTwin>()];
    }

    /// <summary>
    /// The relationships one step away from <paramref name="from"/> in a direction, with the twin it starts from and
    /// the twin at the other end (outgoing: the relationship's target; incoming: its source, whose relationship it
    /// is). The relationship is null when <paramref name="needRelationship"/> is false and the index answered.
    /// </summary>
    public async Task<List<(string FromId, Relationship? Relationship, AdtTwin Other)>> Step(
        IReadOnlyCollection<AdtTwin> from, AdtDirection direction, IReadOnlyCollection<string> names, bool needRelationship)
    {
        if (direction == AdtDirection.Out && names.Count == 1 && names.Contains(RelationshipNames.Contains) && !needRelationship)
        {
            ImmutableArray<string> parents = [.. from.Select(t => t.Id).Distinct(StringComparer.Ordinal)];
            var children = await index.Broadcast(shard => shard.Children(parents));
            return [.. children.Select(e => (e.ParentId!, (Relationship?)null, new AdtTwin(e)))];
        }

        await Load(from.Where(t => t.Snapshot is null).Select(t => t.Id));
        var read = from.Select(t => t.Snapshot is null ? Twin(t.Id) : t).OfType<AdtTwin>().ToList();
        bool Named(string name) => names.Count == 0 || names.Contains(name);
        var outgoing = direction != AdtDirection.In
            ? read.SelectMany(t => t.Snapshot!.Relationships.Where(r => Named(r.Name))).ToList()
            : [];
        var incoming = direction != AdtDirection.Out
            ? read.SelectMany(t => t.Snapshot!.Incoming.Where(r => Named(r.Name)).Select(r => (Target: t.Id, r.SourceId, r.RelationshipId))).ToList()
            : [];
        await Load(outgoing.Select(r => r.TargetId).Concat(incoming.Select(i => i.SourceId)));
        var steps = new List<(string, Relationship?, AdtTwin)>();
        foreach (var relationship in outgoing)
        {
            if (Twin(relationship.TargetId) is { } target)
            {
                steps.Add((relationship.SourceId, relationship, target));
            }
        }

        foreach (var (target, sourceId, relationshipId) in incoming)
        {
            if (Twin(sourceId) is { Snapshot: { } source } twin
                && source.Relationships.FirstOrDefault(r => r.Id == relationshipId && r.TargetId == target) is { } relationship)
            {
                steps.Add((target, relationship, twin));
            }
        }

        return steps;
    }
}
