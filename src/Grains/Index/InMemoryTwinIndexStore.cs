using System.Collections.Concurrent;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Index;

/// <summary>
/// The embedded default's index store: outlives shard activations within one silo process (so an idle shard that is
/// collected comes back whole), lost with the process like the rest of the embedded default's state.
/// </summary>
public sealed class InMemoryTwinIndexStore : ITwinIndexStore
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, IndexEntry>> _shards = new();

    public Task<IReadOnlyCollection<IndexEntry>> Load(int shard, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<IndexEntry>>([.. Shard(shard).Values]);

    public Task Upsert(int shard, IReadOnlyCollection<IndexEntry> entries, CancellationToken cancellationToken)
    {
        var map = Shard(shard);
        foreach (var entry in entries)
        {
            map[entry.TwinId] = entry;
        }

        return Task.CompletedTask;
    }

    public Task Remove(int shard, IReadOnlyCollection<string> twinIds, CancellationToken cancellationToken)
    {
        var map = Shard(shard);
        foreach (var id in twinIds)
        {
            map.TryRemove(id, out _);
        }

        return Task.CompletedTask;
    }

    private ConcurrentDictionary<string, IndexEntry> Shard(int shard) =>
        _shards.GetOrAdd(shard, _ => new ConcurrentDictionary<string, IndexEntry>(StringComparer.Ordinal));
}
