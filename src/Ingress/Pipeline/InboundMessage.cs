namespace TwinCluster.Ingress.Pipeline;

/// <summary>
/// One MQTT publish as the ingress receives it: topic, payload (owned by the message: transports copy it out of
/// their buffers), MQTT 5 content type when given, and when it arrived.
/// </summary>
public sealed record InboundMessage(string Topic, ReadOnlyMemory<byte> Payload, string? ContentType, DateTimeOffset ReceivedAt);

/// <summary>What became of a message; every outcome is final, so the transport may acknowledge it.</summary>
public enum IngressVerdict
{
    /// <summary>Logged (or, for reported properties, written to the twin) and handed to the twin.</summary>
    Accepted,

    /// <summary>Its (twin, seq) was logged before; recorded as a dead letter with reason <c>duplicate-seq</c>.</summary>
    Duplicate,

    /// <summary>Refused; recorded as a dead letter with its reason.</summary>
    Rejected,
}
