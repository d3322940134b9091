using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Twins read from their grains during one query, each read once (so a twin reached twice is the same twin), and the
/// relationship steps JOIN and MATCH take from them.
/// </summary>
public sealed class AdtGraph(IGrainFactory grains)
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
    /// The relationships one step away from <paramref name="from"/> in a direction, with the twin it starts from and the twin at the other end
    /// (outgoing: the relationship's target; incoming: its source, whose relationship it is).
    /// </summary>
    public async Task<List<(string FromId, Relationship Relationship, AdtTwin Other)>> Step(IReadOnlyCollection<AdtTwin> from, AdtDirection direction, IReadOnlyCollection<string> names)
    {
        bool Named(string name) => names.Count == 0 || names.Contains(name);
        var outgoing = direction != AdtDirection.In
            ? from.SelectMany(t => t.Snapshot!.Relationships.Where(r => Named(r.Name))).ToList()
            : [];
        var incoming = direction != AdtDirection.Out
            ? from.SelectMany(t => t.Snapshot!.Incoming.Where(r => Named(r.Name)).Select(r => (Target: t.Id, r.SourceId, r.RelationshipId))).ToList()
            : [];
        await Load(outgoing.Select(r => r.TargetId).Concat(incoming.Select(i => i.SourceId)));
        var steps = new List<(string, Relationship, AdtTwin)>();
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
