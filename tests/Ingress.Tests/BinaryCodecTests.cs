using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests;

public sealed class BinaryCodecTests
{
    private static DecodeResult Decode(byte[] bytes, IngressLimits? limits = null) =>
        BinaryTelemetryCodec.Decode(bytes, Samples.Twin, limits ?? IngressLimits.Default);

    [Fact]
    public void A_block_round_trips()
    {
        var original = Samples.Block(seq: long.MaxValue, samples: 1024, channels: 3);
        var bytes = BinaryTelemetryCodec.Encode(original);
        Assert.Equal(BinaryTelemetryCodec.GetEncodedSize(original), bytes.Length);
        Assert.Equal(32 + (3 * (1 + 4 + (1024 * 4))) + "vibration".Length + (2 * "vibration1".Length), bytes.Length);
        var back = Decode(bytes);
        Assert.True(back.IsSuccess, back.ToString());
        Assert.Equal(WireFormat.Binary, back.Message.Format);
        JsonCodecTests.AssertSame(original, back.Message);
    }

    [Fact]
    public void A_block_without_a_sample_rate_round_trips_and_a_component_channel_is_allowed()
    {
        var original = new TelemetryMessage(Samples.Twin, 0, Samples.Now, null,
            [new TelemetryChannel("gearbox/vibration", [1f, -2.5f, 3.25f])], WireFormat.Binary);
        var bytes = BinaryTelemetryCodec.Encode(original);
        Assert.Equal(0, bytes[5]);
        var back = Decode(bytes);
        Assert.True(back.IsSuccess, back.ToString());
        JsonCodecTests.AssertSame(original, back.Message);
    }

    [Fact]
    public void The_header_is_laid_out_as_documented()
    {
        var bytes = Samples.BlockBytes(seq: 0x0102030405060708, samples: 2);
        Assert.Equal("TCBK"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, bytes[4]);
        Assert.Equal(BinaryTelemetryCodec.FlagSampleRate, bytes[5]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(0x08, bytes[8]);
        Assert.Equal(0x0102030405060708, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(Samples.Now.AddSeconds(-1).ToUnixTimeMilliseconds(), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(25_600, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(24)));
        Assert.Equal("vibration".Length, bytes[32]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(33 + "vibration".Length)));
        Assert.Equal(32 + 1 + 9 + 4 + 8, bytes.Length);
    }

    [Fact]
    public void Encode_writes_into_one_span_of_the_buffer_writer_without_intermediate_buffers()
    {
        var message = Samples.Block(samples: 4096);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        BinaryTelemetryCodec.Encode(message, buffer); // warm up
        buffer.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        BinaryTelemetryCodec.Encode(message, buffer);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 256, $"encode allocated {allocated} bytes");
        Assert.Equal(BinaryTelemetryCodec.GetEncodedSize(message), buffer.WrittenCount);
    }

    public static TheoryData<string, Action<byte[]>, string> Corruptions => new()
    {
        { "bad magic", b => b[0] = (byte)'X', "malformed-binary" },
        { "version 2", b => b[4] = 2, "malformed-binary" },
        { "unknown flag", b => b[5] |= 0x80, "malformed-binary" },
        { "zero channels", b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), 0), "malformed-binary" },
        { "more channels than fit", b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), 200), "malformed-binary" },
        { "channels over the limit", b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), 60_000), "too-large" },
        { "seq above 2^63-1", b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8), ulong.MaxValue), "malformed-binary" },
        { "timestamp out of range", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(16), long.MaxValue), "malformed-binary" },
        { "NaN sample rate", b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(24), double.NaN), "non-finite" },
        { "negative sample rate", b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(24), -1), "malformed-binary" },
        { "rate without flag", b => b[5] = 0, "malformed-binary" },
        { "empty name", b => b[32] = 0, "malformed-binary" },
        { "name runs past the end", b => b[32] = 255, "malformed-binary" },
        { "name not a DTDL name", b => b[33] = (byte)'9', "malformed-binary" },
        { "name not ASCII", b => b[33] = 0xC3, "malformed-binary" },
        { "zero samples", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(42), 0), "malformed-binary" },
        { "sample count past the end", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(42), 65), "malformed-binary" },
        { "sample count over the limit", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(42), uint.MaxValue), "too-large" },
        { "fewer samples than the bytes", b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(42), 63), "malformed-binary" },
        { "NaN sample", b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(46 + 8), float.NaN), "non-finite" },
        { "Infinity sample", b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(b.Length - 4), float.NegativeInfinity), "non-finite" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_block_is_refused_with_its_reason(string what, Action<byte[]> corrupt, string code)
    {
        var bytes = Samples.BlockBytes(samples: 64);
        Assert.True(Decode(bytes).IsSuccess);
        corrupt(bytes);
        var result = Decode(bytes);
        Assert.False(result.IsSuccess, what);
        Assert.Equal(code, result.Rejection.Code);
    }

    [Fact]
    public void Trailing_bytes_and_every_truncation_are_refused()
    {
        var bytes = Samples.BlockBytes(samples: 8, channels: 2);
        Assert.Equal("malformed-binary", Decode([.. bytes, 0]).Rejection!.Code);
        for (var length = 0; length < bytes.Length; length++)
        {
            var result = Decode(bytes[..length]);
            Assert.False(result.IsSuccess, $"length {length}");
            Assert.Equal(DeadLetterReason.MalformedBinary, result.Rejection.Reason);
        }
    }

    [Fact]
    public void A_repeated_channel_name_is_refused()
    {
        var channel = new TelemetryChannel("vibration", [1.0]);
        var message = new TelemetryMessage(Samples.Twin, 1, Samples.Now, null, [channel, channel], WireFormat.Binary);
        var result = Decode(BinaryTelemetryCodec.Encode(message));
        Assert.Equal("malformed-binary", result.Rejection!.Code);
        Assert.Contains("twice", result.Rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Total_samples_over_the_limit_are_refused()
    {
        var bytes = Samples.BlockBytes(samples: 100, channels: 3);
        var limits = IngressLimits.Default with { MaxTotalSamples = 299 };
        Assert.Equal("too-large", Decode(bytes, limits).Rejection!.Code);
        Assert.True(Decode(bytes, limits with { MaxTotalSamples = 300 }).IsSuccess);
        Assert.Equal("too-large", Decode(bytes, limits with { MaxPayloadBytes = bytes.Length - 1 }).Rejection!.Code);
    }

    [Fact]
    public void Ten_thousand_random_mutations_never_throw_and_never_allocate_much_more_than_the_payload()
    {
        var random = new Random(20261125);
        var good = Samples.BlockBytes(samples: 256, channels: 4);
        var limits = IngressLimits.Default with { MaxPayloadBytes = 8 * 1024 };
        var outcomes = new Dictionary<string, int>();
        long worst = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var bytes = Mutate(good, random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = BinaryTelemetryCodec.Decode(bytes, Samples.Twin, limits);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            worst = Math.Max(worst, allocated);

            // Decoded samples are doubles (2× the float32 on the wire) plus small per-channel objects.
            Assert.True(allocated <= (bytes.Length * 2) + 4096, $"mutation {i}: {allocated} bytes allocated for a {bytes.Length}-byte payload");
            var key = result.IsSuccess ? "ok" : result.Rejection.Code;
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }

        // The mutations reach the deep checks, not just the magic.
        Assert.True(outcomes.GetValueOrDefault("malformed-binary") > 1000, string.Join(", ", outcomes));
        Assert.True(outcomes.Count >= 3, string.Join(", ", outcomes));
    }

    [Fact]
    public void Random_bytes_after_the_magic_never_throw()
    {
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var bytes = new byte[random.Next(0, 512)];
            random.NextBytes(bytes);
            if (bytes.Length >= 5)
            {
                "TCBK"u8.CopyTo(bytes);
                bytes[4] = 1;
            }

            var result = Decode(bytes);
            Assert.True(result.IsSuccess || result.Rejection is not null);
        }
    }

    private static byte[] Mutate(byte[] good, Random random)
    {
        var bytes = (byte[])good.Clone();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                for (var n = random.Next(1, 8); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                break;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            default:
                // A length field (channel count, name length, sample count) set to something hostile.
                var at = random.Next(6, Math.Min(bytes.Length - 4, 64));
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)random.Next() | 0x8000_0000u);
                break;
        }

        return bytes;
    }
}
