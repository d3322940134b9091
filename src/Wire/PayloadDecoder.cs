using System.Buffers;

namespace TwinCluster.Wire;

/// <summary>
/// Turns one MQTT payload into a <see cref="TelemetryMessage"/> or a <see cref="Rejection"/>: size limit, format
/// choice, decoding, the twin named in the payload against the topic, finite samples, and timestamp skew.
/// Stateless and never throws on bad input; the ingress checks the twin's model after it, and the telemetry log
/// judges duplicates.
/// </summary>
public static class PayloadDecoder
{
    /// <summary>
    /// Decodes <paramref name="payload"/> published on <paramref name="topicTwin"/>'s telemetry topic.
    /// The format is the MQTT 5 <paramref name="contentType"/> when given; without one (MQTT 3.1.1, or a v5 client
    /// that sets none) a payload that starts with the binary magic is a block, and one that starts with <c>{</c>
    /// (after an optional UTF-8 byte-order mark and whitespace) is JSON.
    /// </summary>
    public static DecodeResult Decode(TwinId topicTwin, ReadOnlyMemory<byte> payload, string? contentType, IngressLimits limits, DateTimeOffset now) =>
        Decode(topicTwin, payload.Span, contentType, limits, now);

    /// <summary>As the memory overload; a multi-segment sequence is copied once, after the size check.</summary>
    public static DecodeResult Decode(TwinId topicTwin, ReadOnlySequence<byte> payload, string? contentType, IngressLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (payload.Length > limits.MaxPayloadBytes)
        {
            return TooLarge(payload.Length, limits);
        }

        return payload.IsSingleSegment
            ? Decode(topicTwin, payload.FirstSpan, contentType, limits, now)
            : Decode(topicTwin, payload.ToArray(), contentType, limits, now);
    }

    /// <summary>As the memory overload, over a span.</summary>
    public static DecodeResult Decode(TwinId topicTwin, ReadOnlySpan<byte> payload, string? contentType, IngressLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (topicTwin.Value is null)
        {
            throw new ArgumentException("the topic's twin id is required", nameof(topicTwin));
        }

        if (payload.Length > limits.MaxPayloadBytes)
        {
            return TooLarge(payload.Length, limits);
        }

        if (!ContentTypes.TryGetFormat(contentType, out var format))
        {
            return DecodeResult.Fail(DeadLetterReason.UnsupportedContentType,
                $"content type '{Shorten(contentType!)}' is neither {ContentTypes.Json} nor {ContentTypes.BinaryBlock}");
        }

        format ??= Sniff(payload);
        if (format is null)
        {
            return DecodeResult.Fail(DeadLetterReason.UnknownFormat,
                "no content type, and the payload starts with neither the binary magic \"TCBK\" nor '{'");
        }

        var result = format == WireFormat.Binary
            ? BinaryTelemetryCodec.Decode(payload, topicTwin, limits)
            : JsonTelemetryCodec.Decode(payload, topicTwin, limits);
        if (!result.IsSuccess)
        {
            return result;
        }

        var message = result.Message;
        if (message.TwinId != topicTwin)
        {
            return DecodeResult.Fail(DeadLetterReason.TwinMismatch, $"the payload is for '{message.TwinId.Value}' but the topic is for '{topicTwin.Value}'");
        }

        if (message.SampleRateHz is { } fs && !double.IsFinite(fs))
        {
            return DecodeResult.Refuse(new Rejection(DeadLetterReason.NonFinite, "fs is not finite"), message.Seq);
        }

        foreach (var channel in message.Channels)
        {
            var values = channel.Values.Span;
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    return DecodeResult.Refuse(new Rejection(DeadLetterReason.NonFinite, $"values.{channel.Name}[{i}] is {values[i]}"), message.Seq);
                }
            }
        }

        return CheckTimestamp(message, limits, now) is { } late ? DecodeResult.Refuse(late, message.Seq) : result;
    }

    /// <summary>The format a payload without a content type is in, or null when it is neither.</summary>
    public static WireFormat? Sniff(ReadOnlySpan<byte> payload)
    {
        if (BinaryTelemetryCodec.HasMagic(payload))
        {
            return WireFormat.Binary;
        }

        if (payload.StartsWith("\uFEFF"u8))
        {
            payload = payload[3..];
        }

        foreach (var b in payload)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b == (byte)'{' ? WireFormat.Json : null;
        }

        return null;
    }

    /// <summary>
    /// Refuses a timestamp more than <see cref="IngressLimits.MaxFutureSkew"/> ahead of <paramref name="now"/> or
    /// more than <see cref="IngressLimits.MaxPastAge"/> behind it; null when it is within both.
    /// </summary>
    public static Rejection? CheckTimestamp(TelemetryMessage message, IngressLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(limits);
        var ahead = message.Timestamp - now;
        if (ahead > limits.MaxFutureSkew)
        {
            return new Rejection(DeadLetterReason.TimestampFuture,
                $"ts {message.Timestamp:O} is {ahead} ahead of the ingress clock; at most {limits.MaxFutureSkew} is allowed");
        }

        if (-ahead > limits.MaxPastAge)
        {
            return new Rejection(DeadLetterReason.TimestampPast,
                $"ts {message.Timestamp:O} is {-ahead} old; at most {limits.MaxPastAge} is allowed");
        }

        return null;
    }

    private static DecodeResult TooLarge(long length, IngressLimits limits) =>
        DecodeResult.Fail(DeadLetterReason.TooLarge, $"payload is {length} bytes; at most {limits.MaxPayloadBytes} are allowed");

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
