using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Reads index entries in twin-id order through the shards, with the pushed-down model set and property filters,
/// in rounds that grow while the caller keeps reading. Each round asks every shard at once for its next entries
/// after the last id; only entries up to the smallest last id of a shard that filled its quota are certain to be
/// complete, so the round yields those and the next starts there.
/// </summary>
public sealed class AdtTwinScan(IndexRouter index)
{
    /// <summary>The most entries asked of one shard in one round.</summary>
    public const int MaxRound = 10_000;

    public async IAsyncEnumerable<IndexEntry> Entries(
        ImmutableHashSet<string>? models, ImmutableArray<PropertyFilter> filters, string? after, int firstRound,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var limit = Math.Clamp(firstRound, 1, MaxRound);
        while (true)
        {
            var query = new ShardQuery(models, filters, null, after, limit);
            var parts = await Task.WhenAll(index.AllShards().Select(shard => shard.Query(query)));
            string? boundary = null;
            foreach (var part in parts)
            {
                if (part.Length >= limit && (boundary is null || string.CompareOrdinal(part[^1].TwinId, boundary) < 0))
                {
                    boundary = part[^1].TwinId;
                }
            }

            var round = new List<IndexEntry>();
            foreach (var part in parts)
            {
                foreach (var entry in part)
                {
                    if (boundary is null || string.CompareOrdinal(entry.TwinId, boundary) <= 0)
                    {
                        round.Add(entry);
                    }
                }
            }

            round.Sort((a, b) => string.CompareOrdinal(a.TwinId, b.TwinId));
            foreach (var entry in round)
            {
                yield return entry;
            }

            if (boundary is null)
            {
                yield break;
            }

            after = boundary;
            limit = Math.Min(limit * 2, MaxRound);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The index entries of the given twins that exist, in id order.</summary>
    public async Task<ImmutableArray<IndexEntry>> Find(IEnumerable<string> ids)
    {
        var found = await Task.WhenAll(ids.Where(id => TwinId.Check(id) is null).Select(id => index.ShardFor(id).Find(id)));
        return [.. found.OfType<IndexEntry>().OrderBy(e => e.TwinId, StringComparer.Ordinal)];
    }
}
