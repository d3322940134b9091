namespace TwinCluster.Simulation.Telemetry;

/// <summary>The MQTT protocol version a publisher speaks.</summary>
public enum MqttProtocol
{
    /// <summary>MQTT 5.0: the payload format travels as the content type.</summary>
    V500,

    /// <summary>MQTT 3.1.1: no content type; the ingress sniffs the payload (<c>TCBK</c> or <c>{</c>).</summary>
    V311,
}
