using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace TwinCluster.Wire;

/// <summary>
/// The binary block format (<see cref="ContentTypes.BinaryBlock"/>) for high-rate waveforms. Little-endian:
/// <code>
/// offset size field
///  0     4    magic "TCBK" (54 43 42 4B)
///  4     1    version (1)
///  5     1    flags: bit 0 = sample rate present; other bits must be 0
///  6     2    channel count, u16 (1 .. MaxChannels)
///  8     8    seq, u64 (at most 2^63-1)
/// 16     8    timestamp of the first sample, i64 unix milliseconds (UTC)
/// 24     8    sample rate in Hz, f64 (positive and finite when flag bit 0 is set, 0 otherwise)
/// 32     ...  channels, each: name length u8 (1..255), name (ASCII DTDL name, or component/name),
///             sample count u32 (1 .. MaxSamplesPerChannel), samples f32 × count
/// </code>
/// The channels must end exactly at the end of the payload.
/// </summary>
/// <remarks>
/// Every length is checked against the bytes that remain before anything is allocated from it, so a hostile or
/// corrupt block costs at most a few times its own size.
/// </remarks>
public static class BinaryTelemetryCodec
{
    /// <summary>The first four bytes of every block: "TCBK".</summary>
    public static ReadOnlySpan<byte> Magic => "TCBK"u8;

    /// <summary>The format version written and read.</summary>
    public const byte Version = 1;

    /// <summary>Flag bit 0: the sample-rate field holds the rate.</summary>
    public const byte FlagSampleRate = 0x01;

    /// <summary>Size of the fixed header in bytes.</summary>
    public const int HeaderSize = 32;

    // name length (1) + one name byte (1) + sample count (4) + one sample (4).
    private const int MinChannelSize = 10;

    private static readonly long MinUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>True when <paramref name="payload"/> starts with <see cref="Magic"/>.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> payload) => payload.StartsWith(Magic);

    /// <summary>Decodes a block for <paramref name="twinId"/>; never throws on bad input.</summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> payload, TwinId twinId, IngressLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (payload.Length > limits.MaxPayloadBytes)
        {
            return DecodeResult.Fail(DeadLetterReason.TooLarge, $"payload is {payload.Length} bytes; at most {limits.MaxPayloadBytes} are allowed");
        }

        if (payload.Length < HeaderSize)
        {
            return Malformed($"header: {payload.Length} bytes, but the header alone is {HeaderSize}");
        }

        if (!HasMagic(payload))
        {
            return Malformed("magic: the block does not start with \"TCBK\"");
        }

        if (payload[4] != Version)
        {
            return Malformed($"version: {payload[4]} is not supported; this reader knows version {Version}");
        }

        var flags = payload[5];
        if ((flags & ~FlagSampleRate) != 0)
        {
            return Malformed($"flags: unknown bits 0x{flags & ~FlagSampleRate:X2}");
        }

        int channelCount = BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]);
        var rawSeq = BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]);
        var unixMs = BinaryPrimitives.ReadInt64LittleEndian(payload[16..]);
        var rate = BinaryPrimitives.ReadDoubleLittleEndian(payload[24..]);

        if (rawSeq > long.MaxValue)
        {
            return Malformed($"seq: {rawSeq} is above 2^63-1");
        }

        if (unixMs < MinUnixMs || unixMs > MaxUnixMs)
        {
            return Malformed($"timestamp: {unixMs} ms is outside the representable range");
        }

        double? sampleRate = null;
        if ((flags & FlagSampleRate) != 0)
        {
            if (!double.IsFinite(rate))
            {
                return DecodeResult.Fail(DeadLetterReason.NonFinite, "sample rate: NaN or Infinity");
            }

            if (rate <= 0)
            {
                return Malformed($"sample rate: {rate} must be positive");
            }

            sampleRate = rate;
        }
        else if (BitConverter.DoubleToInt64Bits(rate) != 0)
        {
            return Malformed("sample rate: must be 0 when flag bit 0 is clear");
        }

        if (channelCount == 0)
        {
            return Malformed("channel count: a block needs at least one channel");
        }

        if (channelCount > limits.MaxChannels)
        {
            return DecodeResult.Fail(DeadLetterReason.TooLarge, $"channel count: {channelCount}; at most {limits.MaxChannels} are allowed");
        }

        var rest = payload[HeaderSize..];
        if ((long)channelCount * MinChannelSize > rest.Length)
        {
            return Malformed($"channel count: {channelCount} channels cannot fit in the {rest.Length} bytes that follow the header");
        }

        var channels = ImmutableArray.CreateBuilder<TelemetryChannel>(channelCount);
        Span<char> nameChars = stackalloc char[TelemetryNames.MaxLength];
        long totalSamples = 0;
        for (var c = 0; c < channelCount; c++)
        {
            var at = payload.Length - rest.Length;
            if (rest.Length < 1)
            {
                return Malformed($"channel {c}: truncated at byte {at}");
            }

            int nameLength = rest[0];
            if (nameLength == 0 || rest.Length < 1 + nameLength + 4)
            {
                return Malformed($"channel {c}: name length {nameLength} at byte {at} is zero or runs past the end");
            }

            var nameBytes = rest.Slice(1, nameLength);
            for (var i = 0; i < nameLength; i++)
            {
                if (nameBytes[i] > 0x7F)
                {
                    return Malformed($"channel {c}: the name is not ASCII");
                }

                nameChars[i] = (char)nameBytes[i];
            }

            var nameSpan = nameChars[..nameLength];
            if (!TelemetryNames.IsValid(nameSpan))
            {
                return Malformed($"channel {c}: '{nameSpan}' is not a valid telemetry name");
            }

            foreach (var existing in channels)
            {
                if (nameSpan.SequenceEqual(existing.Name))
                {
                    return Malformed($"channel {c}: '{nameSpan}' is given twice");
                }
            }

            var name = Encoding.ASCII.GetString(nameBytes);
            var count = BinaryPrimitives.ReadUInt32LittleEndian(rest[(1 + nameLength)..]);
            rest = rest[(1 + nameLength + 4)..];
            if (count == 0)
            {
                return Malformed($"channel '{name}': sample count is 0");
            }

            if (count > (uint)limits.MaxSamplesPerChannel)
            {
                return DecodeResult.Fail(DeadLetterReason.TooLarge, $"channel '{name}': {count} samples; at most {limits.MaxSamplesPerChannel} are allowed");
            }

            totalSamples += count;
            if (totalSamples > limits.MaxTotalSamples)
            {
                return DecodeResult.Fail(DeadLetterReason.TooLarge, $"channel '{name}': the block has more than {limits.MaxTotalSamples} samples");
            }

            if ((long)count * sizeof(float) > rest.Length)
            {
                return Malformed($"channel '{name}': {count} samples need {(long)count * sizeof(float)} bytes but {rest.Length} remain");
            }

            var values = new double[count];
            for (var i = 0; i < values.Length; i++)
            {
                var sample = BinaryPrimitives.ReadSingleLittleEndian(rest[(i * sizeof(float))..]);
                if (!float.IsFinite(sample))
                {
                    return DecodeResult.Fail(DeadLetterReason.NonFinite, $"channel '{name}': sample {i} is {sample}");
                }

                values[i] = sample;
            }

            rest = rest[(values.Length * sizeof(float))..];
            channels.Add(new TelemetryChannel(name, values, unit: null, isScalar: false));
        }

        if (!rest.IsEmpty)
        {
            return Malformed($"{rest.Length} bytes after the last channel");
        }

        return DecodeResult.Success(new TelemetryMessage(twinId, (long)rawSeq,
            DateTimeOffset.FromUnixTimeMilliseconds(unixMs), sampleRate, channels.MoveToImmutable(), WireFormat.Binary));
    }

    /// <summary>The exact size <see cref="Encode(TelemetryMessage, IBufferWriter{byte})"/> writes for <paramref name="message"/>.</summary>
    public static int GetEncodedSize(TelemetryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        long size = HeaderSize;
        foreach (var channel in message.Channels)
        {
            size += 1 + channel.Name.Length + 4 + ((long)channel.Values.Length * sizeof(float));
        }

        return size <= int.MaxValue ? (int)size : throw new ArgumentException("the message is too large for one block", nameof(message));
    }

    /// <summary>
    /// Writes <paramref name="message"/> as one block into a single span of <paramref name="output"/>; samples are
    /// narrowed to float32, the timestamp to whole milliseconds, and units are not carried. Throws
    /// <see cref="ArgumentException"/> for what the format cannot hold (invalid names, over 65,535 channels, empty channels).
    /// </summary>
    public static void Encode(TelemetryMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        if (message.Channels.Length is 0 or > ushort.MaxValue)
        {
            throw new ArgumentException($"a block holds 1 to {ushort.MaxValue} channels", nameof(message));
        }

        var size = GetEncodedSize(message);
        var span = output.GetSpan(size)[..size];
        Magic.CopyTo(span);
        span[4] = Version;
        span[5] = message.SampleRateHz is null ? (byte)0 : FlagSampleRate;
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], (ushort)message.Channels.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], message.Seq);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], message.Timestamp.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteDoubleLittleEndian(span[24..], message.SampleRateHz ?? 0);
        var at = HeaderSize;
        foreach (var channel in message.Channels)
        {
            if (!TelemetryNames.IsValid(channel.Name) || channel.Values.IsEmpty)
            {
                throw new ArgumentException($"channel '{channel.Name}' has an invalid name or no samples", nameof(message));
            }

            span[at++] = (byte)channel.Name.Length;
            at += Encoding.ASCII.GetBytes(channel.Name, span[at..]);
            var values = channel.Values.Span;
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)values.Length);
            at += 4;
            foreach (var value in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[at..], (float)value);
                at += sizeof(float);
            }
        }

        output.Advance(size);
    }

    /// <summary>Encodes to a new array (tests and tools; the hot path uses the buffer-writer overload).</summary>
    public static byte[] Encode(TelemetryMessage message)
    {
        var bytes = new byte[GetEncodedSize(message)];
        var writer = new ArrayBufferWriter<byte>(bytes.Length);
        Encode(message, writer);
        writer.WrittenSpan.CopyTo(bytes);
        return bytes;
    }

    private static DecodeResult Malformed(string message) => DecodeResult.Fail(DeadLetterReason.MalformedBinary, message);
}
