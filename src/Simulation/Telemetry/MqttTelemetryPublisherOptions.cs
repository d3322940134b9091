namespace TwinCluster.Simulation.Telemetry;

/// <summary>Settings of a <see cref="MqttTelemetryPublisher"/>.</summary>
public sealed record MqttTelemetryPublisherOptions
{
    /// <summary>Broker host name or address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker TCP port.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>MQTT client id; empty picks a unique one.</summary>
    public string ClientId { get; init; } = "";

    /// <summary>Protocol version (MQTT 5 by default).</summary>
    public MqttProtocol Protocol { get; init; } = MqttProtocol.V500;

    /// <summary>Keep-alive period: how soon a silent dead connection is noticed.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one connect attempt, or one wait for a PUBACK, may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The device's MQTT user name (from <c>twin devices add</c>), or null to connect anonymously.</summary>
    public string? Username { get; init; }

    /// <summary>The device's password.</summary>
    public string? Password { get; init; }

    /// <summary>QoS 1 publications awaiting their PUBACK at once; more in flight means more throughput per connection.</summary>
    public int MaxInFlight { get; init; } = 64;

    /// <summary>First wait before reconnecting after the connection drops; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between two reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Host and port as <c>host:port</c>, for messages.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("MQTT host is empty.", nameof(Host));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"MQTT port {Port} is not in 1..65535.", nameof(Port));
        }

        if (MaxInFlight is < 1 or > 65535)
        {
            throw new ArgumentException($"MaxInFlight {MaxInFlight} is not in 1..65535.", nameof(MaxInFlight));
        }

        if (KeepAlive < TimeSpan.Zero || KeepAlive > TimeSpan.FromSeconds(ushort.MaxValue))
        {
            throw new ArgumentException($"KeepAlive {KeepAlive} is not in 0..65535 s.", nameof(KeepAlive));
        }

        if (Timeout <= TimeSpan.Zero || MinReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < MinReconnectDelay)
        {
            throw new ArgumentException("Timeout and MinReconnectDelay must be positive, and MaxReconnectDelay at least MinReconnectDelay.");
        }
    }
}
