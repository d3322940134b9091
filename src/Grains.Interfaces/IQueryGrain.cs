using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>Query coordinator (a stateless worker): fans a query out to every index shard and merges the pages.</summary>
[Alias("tc.IQueryGrain")]
public interface IQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Runs a query. Reflects every write acknowledged before the call started.</summary>
    [Alias("Query")]
    Task<TwinQueryPage> Query(TwinQuery query);

    /// <summary>The whole subtree under <paramref name="rootId"/> (through <c>contains</c>), the root first.</summary>
    [Alias("Subtree")]
    Task<ImmutableArray<IndexEntry>> Subtree(string rootId);
}
