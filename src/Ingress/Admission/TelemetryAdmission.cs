using System.Buffers;
using TwinCluster.Wire;
using TwinCluster.Modeling;

namespace TwinCluster.Ingress.Admission;

/// <summary>
/// Every check a telemetry message passes before it may be written to the log, in order: topic, twin exists,
/// payload (<see cref="PayloadDecoder"/>), model (<see cref="TelemetrySchemaCheck"/>), duplicate <c>seq</c>
/// (<see cref="SequenceTracker"/>). Pure: the caller supplies the twin's model and the clock.
/// </summary>
/// <remarks>
/// <see cref="Admit"/> does not record the sequence number: call <see cref="SequenceTracker.MarkApplied"/> once the
/// message is durably logged, so that a failed write followed by a redelivery is not mistaken for a duplicate.
/// Reported properties (<see cref="TopicKind.Properties"/>) are not telemetry and are refused here as
/// <see cref="DeadLetterReason.InvalidTopic"/>; route them elsewhere before calling.
/// </remarks>
public sealed class TelemetryAdmission
{
    private readonly IngressLimits _limits;
    private readonly SequenceTracker _sequences;

    /// <summary>Creates the checks with their limits and the per-twin sequence state they consult.</summary>
    public TelemetryAdmission(IngressLimits limits, SequenceTracker sequences)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(sequences);
        limits.Validate();
        _limits = limits;
        _sequences = sequences;
    }

    /// <summary>
    /// Checks one publish. <paramref name="modelOf"/> returns the twin's model, or null when the twin does not exist.
    /// On success, <paramref name="sequence"/> says whether the message is the next one or leaves a gap.
    /// </summary>
    public DecodeResult Admit(string topic, ReadOnlySequence<byte> payload, string? contentType, DateTimeOffset now,
        Func<TwinId, InterfaceModel?> modelOf, ModelSet models, out SequenceClassification sequence)
    {
        ArgumentNullException.ThrowIfNull(modelOf);
        ArgumentNullException.ThrowIfNull(models);
        sequence = default;
        if (!TelemetryTopic.TryParse(topic, out var parsed))
        {
            return DecodeResult.Fail(DeadLetterReason.InvalidTopic, $"topic '{Shorten(topic)}' is not twins/{{twinId}}/telemetry");
        }

        if (parsed.Kind != TopicKind.Telemetry)
        {
            return DecodeResult.Fail(DeadLetterReason.InvalidTopic, $"topic '{topic}' carries reported properties, not telemetry");
        }

        var model = modelOf(parsed.TwinId);
        if (model is null)
        {
            return DecodeResult.Fail(DeadLetterReason.UnknownTwin, $"twin '{parsed.TwinId.Value}' does not exist");
        }

        var decoded = PayloadDecoder.Decode(parsed.TwinId, payload, contentType, _limits, now);
        if (!decoded.IsSuccess)
        {
            return decoded;
        }

        if (TelemetrySchemaCheck.Check(decoded.Message, model, models) is { } mismatch)
        {
            return DecodeResult.Refuse(mismatch, decoded.Message.Seq);
        }

        sequence = _sequences.Classify(parsed.TwinId, decoded.Message.Seq);
        if (sequence.Verdict == SequenceVerdict.Duplicate)
        {
            return DecodeResult.Fail(DeadLetterReason.DuplicateSeq,
                $"seq {decoded.Message.Seq} of twin '{parsed.TwinId.Value}' was already applied (last applied: {_sequences.LastApplied(parsed.TwinId)})");
        }

        return decoded;
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "…";
}
