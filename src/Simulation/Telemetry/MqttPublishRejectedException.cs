namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// The broker answered a publication with an error reason code (MQTT 5), e.g. not authorised or payload too large.
/// Sending it again would get the same answer, so the publisher does not retry it.
/// </summary>
public sealed class MqttPublishRejectedException : Exception
{
    public MqttPublishRejectedException()
    {
    }

    public MqttPublishRejectedException(string message)
        : base(message)
    {
    }

    public MqttPublishRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The PUBACK reason code, as MQTTnet names it.</summary>
    public string ReasonCode { get; init; } = "";
}
