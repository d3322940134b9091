namespace TwinCluster.Ingress.Mqtt;

/// <summary>The ingress's connection to an external broker (configuration section <c>TwinCluster:Ingress:Broker</c>).</summary>
public sealed class ExternalBrokerOptions
{
    /// <summary>The broker host; empty means no external broker.</summary>
    public string Host { get; set; } = "";

    /// <summary>The broker port (default 1883).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>
    /// The MQTT client id. It must stay the same across restarts of one ingress process (the broker keeps its
    /// session and its unacknowledged messages under it) and differ between processes. Default:
    /// <c>twincluster-ingress-{machine name}</c>.
    /// </summary>
    public string ClientId { get; set; } = "twincluster-ingress-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>
    /// The shared-subscription group (default <c>twincluster</c>), so several ingress processes split the load; empty
    /// subscribes without sharing. Mosquitto 2.0.11 (Debian 12) does not keep a shared subscription across its own
    /// restart: what was queued for the group, and what arrives before the ingress subscribes again, is dropped. A
    /// single ingress on such a broker should use a plain subscription (empty), which its persistent session keeps.
    /// </summary>
    public string SharedGroup { get; set; } = "twincluster";

    /// <summary>How long the broker keeps the session of a disconnected ingress (default 1 day).</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Most unacknowledged messages the broker may send (MQTT 5 receive maximum; default 2,048).</summary>
    public int ReceiveMaximum { get; set; } = 2_048;

    /// <summary>User name, when the broker wants one.</summary>
    public string? Username { get; set; }

    /// <summary>Password, when the broker wants one.</summary>
    public string? Password { get; set; }

    /// <summary>True when a host is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The subscription topic filter.</summary>
    public string TopicFilter => string.IsNullOrEmpty(SharedGroup) ? "twins/+/+" : $"$share/{SharedGroup}/twins/+/+";

    /// <summary>Throws with the name of the first setting out of range.</summary>
    public void Validate()
    {
        if (Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "TwinCluster:Ingress:Broker:Port must be between 1 and 65535");
        }

        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 128)
        {
            throw new ArgumentException("TwinCluster:Ingress:Broker:ClientId must be 1 to 128 characters", nameof(ClientId));
        }

        if (SharedGroup.IndexOfAny(['/', '+', '#']) >= 0)
        {
            throw new ArgumentException($"TwinCluster:Ingress:Broker:SharedGroup '{SharedGroup}' may not contain / + #", nameof(SharedGroup));
        }

        if (ReceiveMaximum is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveMaximum), ReceiveMaximum, "TwinCluster:Ingress:Broker:ReceiveMaximum must be between 1 and 65535");
        }

        if (SessionExpiry < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(SessionExpiry), SessionExpiry, "TwinCluster:Ingress:Broker:SessionExpiry must be at least a minute");
        }
    }
}
