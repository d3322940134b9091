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
    }
}
