namespace TwinCluster.Grains.Index;

/// <summary>Query index settings (section <c>TwinCluster:Index</c>). Every silo of a cluster must use the same values.</summary>
public sealed class IndexOptions : ISelfChecking
{
    /// <summary>Number of index shards; twins are spread over them by a hash of their id.</summary>
    public int Shards { get; set; } = 16;

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (Shards is < 1 or > 1024)
        {
            yield return "TwinCluster:Index:Shards must be between 1 and 1024";
        }
    }
}
