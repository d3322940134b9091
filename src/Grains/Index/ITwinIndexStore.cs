using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Index;

/// <summary>Where index shards keep their entries between activations: in memory, or a PostgreSQL table.</summary>
public interface ITwinIndexStore
{
    Task<IReadOnlyCollection<IndexEntry>> Load(int shard, CancellationToken cancellationToken);

    Task Upsert(int shard, IReadOnlyCollection<IndexEntry> entries, CancellationToken cancellationToken);

    Task Remove(int shard, IReadOnlyCollection<string> twinIds, CancellationToken cancellationToken);
}
