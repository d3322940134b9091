namespace TwinCluster.Wire;

/// <summary>What a device publishes on a twin's topic.</summary>
public enum TopicKind
{
    /// <summary><c>twins/{twinId}/telemetry</c>: telemetry messages (QoS 1).</summary>
    Telemetry,

    /// <summary><c>twins/{twinId}/properties</c>: reported properties.</summary>
    Properties,
}
