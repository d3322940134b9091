using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>One shard of the query index, keyed by shard number; a twin's shard is a hash of its id.</summary>
[Alias("tc.ITwinIndexGrain")]
public interface ITwinIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or replaces entries.</summary>
    [Alias("Upsert")]
    Task Upsert(ImmutableArray<IndexEntry> entries);

    /// <summary>Removes entries by twin id.</summary>
    [Alias("Remove")]
    Task Remove(ImmutableArray<string> twinIds);

    /// <summary>Entries matching the query after its continuation token, at most its page size, ordered by id.</summary>
    [Alias("Query")]
    Task<ImmutableArray<IndexEntry>> Query(ShardQuery query);

    /// <summary>The entries whose parent is one of <paramref name="parentIds"/>.</summary>
    [Alias("Children")]
    Task<ImmutableArray<IndexEntry>> Children(ImmutableArray<string> parentIds);

    /// <summary>The entry of one twin, or null.</summary>
    [Alias("Find")]
    Task<IndexEntry?> Find(string twinId);
}
