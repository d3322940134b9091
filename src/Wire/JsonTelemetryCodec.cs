using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;

namespace TwinCluster.Wire;

/// <summary>
/// The JSON telemetry format (<see cref="ContentTypes.Json"/>):
/// <c>{"seq":42,"ts":"2026-11-25T18:00:00.000Z","fs":25600,"values":{"vibration":[0.01,-0.02],"temperature":61.5},"units":{"temperature":"degreeCelsius"}}</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>seq</c> (required): an integer from 0 to 2^63-1.</item>
/// <item><c>ts</c> (required): the time of the first sample, an ISO-8601 / RFC 3339 string with an explicit offset
/// (<c>Z</c> or <c>±hh:mm</c>); local times without an offset are refused because they are ambiguous.</item>
/// <item><c>fs</c> (optional): the sample rate of the array channels in Hz, a positive finite number.</item>
/// <item><c>twin</c> (optional): the twin id; when present it must equal the topic's.</item>
/// <item><c>values</c> (required, at least one): telemetry name → a number, or a non-empty array of numbers.</item>
/// <item><c>units</c> (optional): telemetry name → unit, checked against the model; each must name a channel in values.</item>
/// </list>
/// Other top-level fields are ignored, so devices can add fields before the ingress knows them. A field given twice
/// is refused. <c>NaN</c> and <c>Infinity</c> (bare, as some JSON writers emit them, or as strings) are refused as
/// <see cref="DeadLetterReason.NonFinite"/>.
/// </remarks>
public static class JsonTelemetryCodec
{
    /// <summary>Decodes a JSON message for <paramref name="twinId"/>; never throws on bad input.</summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> utf8, TwinId twinId, IngressLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (utf8.Length > limits.MaxPayloadBytes)
        {
            return DecodeResult.Fail(DeadLetterReason.TooLarge, $"payload is {utf8.Length} bytes; at most {limits.MaxPayloadBytes} are allowed");
        }

        if (utf8.StartsWith("\uFEFF"u8))
        {
            // Some writers put a UTF-8 byte-order mark first; Utf8JsonReader does not skip it.
            utf8 = utf8[3..];
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            MaxDepth = limits.MaxJsonDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        try
        {
            return Read(ref reader, twinId, limits);
        }
        catch (JsonException e)
        {
            return StartsWithNonFiniteLiteral(utf8[(int)Math.Min(reader.BytesConsumed, utf8.Length)..])
                ? DecodeResult.Fail(DeadLetterReason.NonFinite, $"NaN or Infinity near byte {reader.BytesConsumed}; JSON numbers must be finite")
                : DecodeResult.Fail(DeadLetterReason.MalformedJson, $"invalid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // GetString and friends throw this for invalid UTF-8 inside a string token.
            return DecodeResult.Fail(DeadLetterReason.MalformedJson, $"invalid JSON string near byte {reader.BytesConsumed}: {e.Message}");
        }
    }

    /// <summary>
    /// Writes <paramref name="message"/> as JSON (ts in ISO-8601 with offset, units when channels carry them).
    /// Throws <see cref="ArgumentException"/> for a non-finite sample: encoding is for trusted data.
    /// </summary>
    public static void Encode(TelemetryMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        writer.WriteNumber("seq"u8, message.Seq);
        writer.WriteString("ts"u8, message.Timestamp);
        if (message.SampleRateHz is { } fs)
        {
            writer.WriteNumber("fs"u8, fs);
        }

        writer.WriteStartObject("values"u8);
        var anyUnit = false;
        foreach (var channel in message.Channels)
        {
            anyUnit |= channel.Unit is not null;
            var values = channel.Values.Span;
            if (channel.IsScalar)
            {
                writer.WriteNumber(channel.Name, values[0]);
                continue;
            }

            writer.WriteStartArray(channel.Name);
            foreach (var value in values)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        if (anyUnit)
        {
            writer.WriteStartObject("units"u8);
            foreach (var channel in message.Channels)
            {
                if (channel.Unit is not null)
                {
                    writer.WriteString(channel.Name, channel.Unit);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Encodes to a new array (tests and tools; the hot path uses the buffer-writer overload).</summary>
    public static byte[] Encode(TelemetryMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static DecodeResult Read(ref Utf8JsonReader reader, TwinId twinId, IngressLimits limits)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Malformed("the payload must be a JSON object");
        }

        long? seq = null;
        DateTimeOffset? ts = null;
        double? fs = null;
        var sawTwin = false;
        List<(string Name, double[] Values, bool IsScalar)>? channels = null;
        Dictionary<string, string>? units = null;
        var totalSamples = 0;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                if (seq is not null)
                {
                    return Malformed("'seq' is given twice");
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var s) || s < 0)
                {
                    return Malformed("'seq' must be an integer from 0 to 9223372036854775807");
                }

                seq = s;
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                if (ts is not null)
                {
                    return Malformed("'ts' is given twice");
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !HasExplicitOffset(ref reader) || !reader.TryGetDateTimeOffset(out var t))
                {
                    return Malformed("'ts' must be an ISO-8601 string with an offset, e.g. \"2026-11-25T18:00:00.000Z\"");
                }

                ts = t;
            }
            else if (reader.ValueTextEquals("fs"u8))
            {
                if (fs is not null)
                {
                    return Malformed("'fs' is given twice");
                }

                reader.Read();
                var rate = ReadNumber(ref reader, "fs", out var problem);
                if (problem is not null)
                {
                    return problem;
                }

                if (rate <= 0)
                {
                    return Malformed("'fs' must be a positive sample rate in Hz");
                }

                fs = rate;
            }
            else if (reader.ValueTextEquals("twin"u8))
            {
                if (sawTwin)
                {
                    return Malformed("'twin' is given twice");
                }

                sawTwin = true;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return Malformed("'twin' must be a string");
                }

                if (!reader.ValueTextEquals(twinId.Value))
                {
                    return DecodeResult.Fail(DeadLetterReason.TwinMismatch,
                        $"'twin' is '{Shorten(reader.GetString())}' but the topic is for '{twinId.Value}'");
                }
            }
            else if (reader.ValueTextEquals("values"u8))
            {
                if (channels is not null)
                {
                    return Malformed("'values' is given twice");
                }

                channels = [];
                var problem = ReadValues(ref reader, limits, channels, ref totalSamples);
                if (problem is not null)
                {
                    return problem;
                }
            }
            else if (reader.ValueTextEquals("units"u8))
            {
                if (units is not null)
                {
                    return Malformed("'units' is given twice");
                }

                units = new Dictionary<string, string>(StringComparer.Ordinal);
                var problem = ReadUnits(ref reader, limits, units);
                if (problem is not null)
                {
                    return problem;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return Malformed("the payload must be a JSON object");
        }

        if (reader.Read())
        {
            return Malformed("unexpected data after the JSON object");
        }

        if (seq is null)
        {
            return Malformed("'seq' is required");
        }

        if (ts is null)
        {
            return Malformed("'ts' is required");
        }

        if (channels is null || channels.Count == 0)
        {
            return Malformed("'values' is required and must name at least one telemetry");
        }

        if (units is not null)
        {
            foreach (var name in units.Keys)
            {
                if (!channels.Exists(c => string.Equals(c.Name, name, StringComparison.Ordinal)))
                {
                    return Malformed($"'units.{name}' names no channel in 'values'");
                }
            }
        }

        var built = ImmutableArray.CreateBuilder<TelemetryChannel>(channels.Count);
        foreach (var (name, values, isScalar) in channels)
        {
            built.Add(new TelemetryChannel(name, values, units?.GetValueOrDefault(name), isScalar));
        }

        return DecodeResult.Success(new TelemetryMessage(twinId, seq.Value, ts.Value, fs, built.MoveToImmutable(), WireFormat.Json));
    }

    private static Rejection? ReadValues(ref Utf8JsonReader reader, IngressLimits limits,
        List<(string Name, double[] Values, bool IsScalar)> channels, ref int totalSamples)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return MalformedRejection("'values' must be an object of telemetry name → number or array of numbers");
        }

        var samples = new List<double>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!TelemetryNames.IsValid(name))
            {
                return MalformedRejection($"'values.{Shorten(name)}' is not a valid telemetry name");
            }

            if (channels.Exists(c => string.Equals(c.Name, name, StringComparison.Ordinal)))
            {
                return MalformedRejection($"'values.{name}' is given twice");
            }

            if (channels.Count >= limits.MaxChannels)
            {
                return new Rejection(DeadLetterReason.TooLarge, $"'values' has more than {limits.MaxChannels} channels");
            }

            reader.Read();
            var field = $"values.{name}";
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                var value = ReadNumber(ref reader, field, out var problem);
                if (problem is not null)
                {
                    return problem;
                }

                if (++totalSamples > limits.MaxTotalSamples)
                {
                    return new Rejection(DeadLetterReason.TooLarge, $"the message has more than {limits.MaxTotalSamples} samples");
                }

                channels.Add((name, [value], true));
                continue;
            }

            samples.Clear();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var value = ReadNumber(ref reader, $"{field}[{samples.Count}]", out var problem);
                if (problem is not null)
                {
                    return problem;
                }

                if (samples.Count >= limits.MaxSamplesPerChannel)
                {
                    return new Rejection(DeadLetterReason.TooLarge, $"'{field}' has more than {limits.MaxSamplesPerChannel} samples");
                }

                if (++totalSamples > limits.MaxTotalSamples)
                {
                    return new Rejection(DeadLetterReason.TooLarge, $"the message has more than {limits.MaxTotalSamples} samples");
                }

                samples.Add(value);
            }

            if (samples.Count == 0)
            {
                return MalformedRejection($"'{field}' is an empty array");
            }

            channels.Add((name, [.. samples], false));
        }

        return null;
    }

    private static Rejection? ReadUnits(ref Utf8JsonReader reader, IngressLimits limits, Dictionary<string, string> units)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return MalformedRejection("'units' must be an object of telemetry name → unit");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return MalformedRejection($"'units.{Shorten(name)}' must be a string");
            }

            if (units.Count >= limits.MaxChannels)
            {
                return new Rejection(DeadLetterReason.TooLarge, $"'units' has more than {limits.MaxChannels} entries");
            }

            if (!units.TryAdd(name, reader.GetString()!))
            {
                return MalformedRejection($"'units.{Shorten(name)}' is given twice");
            }
        }

        return null;
    }

    private static double ReadNumber(ref Utf8JsonReader reader, string field, out Rejection? problem)
    {
        problem = null;
        if (reader.TokenType == JsonTokenType.Number)
        {
            // TryGetDouble fails for numbers that overflow to ±Infinity (e.g. 1e400).
            if (reader.TryGetDouble(out var value) && double.IsFinite(value))
            {
                return value;
            }

            problem = new Rejection(DeadLetterReason.NonFinite, $"'{field}' is out of the range of a finite double");
            return 0;
        }

        if (reader.TokenType == JsonTokenType.String
            && (reader.ValueTextEquals("NaN"u8) || reader.ValueTextEquals("Infinity"u8) || reader.ValueTextEquals("-Infinity"u8)))
        {
            problem = new Rejection(DeadLetterReason.NonFinite, $"'{field}' is {reader.GetString()}; samples must be finite");
            return 0;
        }

        problem = MalformedRejection($"'{field}' must be a number");
        return 0;
    }

    // TryGetDateTimeOffset would read a time without an offset as local time, which depends on the host.
    private static bool HasExplicitOffset(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length is < 11 or > 64)
        {
            return false;
        }

        var s = reader.ValueSpan;
        return s[^1] is (byte)'Z' or (byte)'z' || (s[^6] is (byte)'+' or (byte)'-' && s[^3] == (byte)':' && s.IndexOf((byte)'T') > 0);
    }

    private static bool StartsWithNonFiniteLiteral(ReadOnlySpan<byte> rest)
    {
        var i = 0;
        while (i < rest.Length && rest[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)':' or (byte)'[')
        {
            i++;
        }

        rest = rest[i..];
        return rest.StartsWith("NaN"u8) || rest.StartsWith("Infinity"u8) || rest.StartsWith("-Infinity"u8);
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "…";

    private static DecodeResult Malformed(string message) => DecodeResult.Fail(DeadLetterReason.MalformedJson, message);

    private static Rejection MalformedRejection(string message) => new(DeadLetterReason.MalformedJson, message);
}
