namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// Names of the change stream: twins publish <see cref="TwinChange"/> events on the stream (<see cref="Namespace"/>,
/// <see cref="Key"/>) of provider <see cref="Provider"/>; the change feed grain of that key is implicitly subscribed
/// and keeps the recent ones for readers (<see cref="IChangeFeedGrain"/>).
/// </summary>
public static class ChangeStreams
{
    /// <summary>The stream provider name (memory streams, one queue).</summary>
    public const string Provider = "changes";

    /// <summary>The stream namespace.</summary>
    public const string Namespace = "tc.changes";

    /// <summary>The one stream key of the cluster's change stream (and the key of its feed grain).</summary>
    public const string Key = "all";
}
