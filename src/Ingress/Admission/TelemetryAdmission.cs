using System.Buffers;
using TwinCluster.Modeling;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Admission;

/// <summary>
/// Every check a telemetry message passes before it may be written to the log, in order: topic
/// (<see cref="ParseTopic"/>, once per message), twin exists (the caller resolves its model once), payload
/// (<see cref="PayloadDecoder"/>), model (<see cref="TelemetrySchemaCheck"/>). Pure: the caller supplies the twin's
/// model and the clock. Duplicates are judged by the telemetry log (exact (twin, seq) keys, across processes).
/// </summary>
/// <remarks>
/// Reported properties (<see cref="TopicKind.Properties"/>) are not telemetry and are refused by <see cref="Admit"/>
/// as <see cref="DeadLetterReason.InvalidTopic"/>; route them elsewhere before calling.
/// </remarks>
public sealed class TelemetryAdmission
{
    private readonly IngressLimits _limits;

    /// <summary>Creates the checks with their limits.</summary>
    public TelemetryAdmission(IngressLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        _limits = limits;
    }

    /// <summary>Parses a device topic; returns the <see cref="DeadLetterReason.InvalidTopic"/> refusal when it is not one.</summary>
    public static Rejection? ParseTopic(string? topic, out TelemetryTopic parsed) =>
        TelemetryTopic.TryParse(topic, out parsed)
            ? null
            : new Rejection(DeadLetterReason.InvalidTopic,
                $"topic '{Shorten(topic)}' is not twins/{{twinId}}/telemetry or twins/{{twinId}}/properties");

    /// <summary>
    /// Checks one publish on the parsed <paramref name="topic"/>. <paramref name="model"/> is the twin's model, or null
    /// when the twin does not exist.
    /// </summary>
    public DecodeResult Admit(TelemetryTopic topic, InterfaceModel? model, ModelSet models, ReadOnlySequence<byte> payload,
        string? contentType, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (topic.Kind != TopicKind.Telemetry)
        {
            return DecodeResult.Fail(DeadLetterReason.InvalidTopic, $"topic '{topic}' carries reported properties, not telemetry");
        }

        if (model is null)
        {
            return DecodeResult.Fail(DeadLetterReason.UnknownTwin, $"twin '{topic.TwinId.Value}' does not exist");
        }

        var decoded = PayloadDecoder.Decode(topic.TwinId, payload, contentType, _limits, now);
        if (!decoded.IsSuccess)
        {
            return decoded;
        }

        return TelemetrySchemaCheck.Check(decoded.Message, model, models) is { } mismatch
            ? DecodeResult.Refuse(mismatch, decoded.Message.Seq)
            : decoded;
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "…";
}
