namespace TwinCluster.Grains.Index;

/// <summary>Query index settings (section <c>TwinCluster:Index</c>). Every silo of a cluster must use the same values.</summary>
public sealed class IndexOptions
{
    /// <summary>Number of index shards; twins are spread over them by a hash of their id.</summary>
    public int Shards { get; set; } = 16;
}
