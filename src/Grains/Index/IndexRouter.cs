using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Index;

/// <summary>Finds the index shard of a twin: FNV-1a of the id's UTF-16 code units, stable across processes.</summary>
public sealed class IndexRouter(IGrainFactory grains, IOptions<IndexOptions> options)
{
    public int ShardCount { get; } = options.Value.Shards;

    public int ShardOf(string twinId)
    {
        var hash = 2166136261u;
        foreach (var c in twinId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)ShardCount);
    }

    public ITwinIndexGrain Shard(int shard) => grains.GetGrain<ITwinIndexGrain>(shard);

    public ITwinIndexGrain ShardFor(string twinId) => Shard(ShardOf(twinId));

    public IEnumerable<ITwinIndexGrain> AllShards() => Enumerable.Range(0, ShardCount).Select(Shard);

    public Task Upsert(IndexEntry entry) => ShardFor(entry.TwinId).Upsert([entry]);

    public Task Remove(string twinId) => ShardFor(twinId).Remove([twinId]);

    /// <summary>Sends entries to their shards, one call per shard.</summary>
    public Task UpsertMany(IEnumerable<IndexEntry> entries) =>
        Task.WhenAll(entries.GroupBy(e => ShardOf(e.TwinId)).Select(g => Shard(g.Key).Upsert([.. g])));

    /// <summary>Asks every shard and concatenates the answers.</summary>
    public async Task<ImmutableArray<T>> Broadcast<T>(Func<ITwinIndexGrain, Task<ImmutableArray<T>>> call)
    {
        var parts = await Task.WhenAll(AllShards().Select(call));
        return [.. parts.SelectMany(p => p)];
    }
}
