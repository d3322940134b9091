namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// Where the command relay connects: the broker, its own client id (never the ingress's: the two sessions differ),
/// credentials, the shared-subscription group for replies (empty: a plain subscription) and how often it renews
/// its registration with the cluster.
/// </summary>
public sealed record RelayConnection(string Host, int Port, string ClientId, string? Username, string? Password, string SharedGroup)
{
    /// <summary>How often the relay registers again (well within the registry's expiry).</summary>
    public TimeSpan RenewEvery { get; init; } = TimeSpan.FromSeconds(3);
}
