namespace TwinCluster.Ingress.Mqtt;

/// <summary>The embedded MQTT broker (configuration section <c>TwinCluster:Mqtt</c>).</summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>Run the broker (default true in the embedded default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The TCP port (default 1883; 0 picks a free one).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>The largest MQTT packet accepted; a larger one closes the connection (default 2 MiB).</summary>
    public int MaxPacketBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Messages queued per subscribing client before the oldest are dropped (default 10,000).</summary>
    public int MaxPendingPerClient { get; set; } = 10_000;

    /// <summary>
    /// Devices must sign in with a credential from <c>twin devices add</c>. Null (unset) means required, except in the
    /// embedded default listening on loopback only, which then also accepts anonymous clients (see
    /// <see cref="AllowAnonymousOnLoopback"/>); true requires it there too.
    /// </summary>
    public bool? RequireAuthentication { get; set; }

    /// <summary>Set by the silo in the embedded default: anonymous clients are accepted on a loopback address unless <see cref="RequireAuthentication"/> is true.</summary>
    public bool AllowAnonymousOnLoopback { get; set; }

    /// <summary>How often open device connections are checked against revocations and rotations (default 5 s).</summary>
    public TimeSpan CredentialCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>MQTT over TLS.</summary>
    public EmbeddedBrokerTlsOptions Tls { get; set; } = new();

    /// <summary>True when anonymous clients are accepted, by the rules of <see cref="RequireAuthentication"/>.</summary>
    public bool AcceptsAnonymous => RequireAuthentication switch
    {
        true => false,
        false => true,
        null => AllowAnonymousOnLoopback && System.Net.IPAddress.TryParse(Address, out var ip) && System.Net.IPAddress.IsLoopback(ip),
    };

    /// <summary>Throws with the name of the first setting out of range.</summary>
    public void Validate()
    {
        if (!System.Net.IPAddress.TryParse(Address, out _))
        {
            throw new ArgumentException($"TwinCluster:Mqtt:Address '{Address}' is not an IP address", nameof(Address));
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "TwinCluster:Mqtt:Port must be between 0 and 65535");
        }

        if (MaxPacketBytes is < 1024 or > 256 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPacketBytes), MaxPacketBytes, "TwinCluster:Mqtt:MaxPacketBytes must be between 1024 and 268435456");
        }

        if (MaxPendingPerClient < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPendingPerClient), MaxPendingPerClient, "TwinCluster:Mqtt:MaxPendingPerClient must be positive");
        }

        if (CredentialCheckInterval < TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentOutOfRangeException(nameof(CredentialCheckInterval), CredentialCheckInterval, "TwinCluster:Mqtt:CredentialCheckInterval must be at least 100 ms");
        }

        Tls.Validate();
    }
}
