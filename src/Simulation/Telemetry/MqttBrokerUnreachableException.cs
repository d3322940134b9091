namespace TwinCluster.Simulation.Telemetry;

/// <summary>The first connection to the MQTT broker failed; the message names <c>host:port</c> and the cause.</summary>
public sealed class MqttBrokerUnreachableException : Exception
{
    public MqttBrokerUnreachableException()
    {
    }

    public MqttBrokerUnreachableException(string message)
        : base(message)
    {
    }

    public MqttBrokerUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
