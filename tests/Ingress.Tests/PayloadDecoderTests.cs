using System.Buffers;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests;

public sealed class PayloadDecoderTests
{
    private static DecodeResult Decode(byte[] payload, string? contentType, IngressLimits? limits = null, TwinId? twin = null) =>
        PayloadDecoder.Decode(twin ?? Samples.Twin, payload.AsMemory(), contentType, limits ?? IngressLimits.Default, Samples.Now);

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON; charset=utf-8")]
    public void Json_content_type_selects_json(string contentType)
    {
        var result = Decode(Samples.Utf8(Samples.Json()), contentType);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(WireFormat.Json, result.Message.Format);
    }

    [Fact]
    public void Block_content_type_selects_binary()
    {
        var result = Decode(Samples.BlockBytes(), ContentTypes.BinaryBlock);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(WireFormat.Binary, result.Message.Format);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_a_content_type_as_from_mqtt_3_the_payload_is_sniffed(string? contentType)
    {
        var block = Decode(Samples.BlockBytes(), contentType);
        Assert.Equal(WireFormat.Binary, block.Message!.Format);
        var json = Decode(Samples.Utf8(Samples.Json()), contentType);
        Assert.Equal(WireFormat.Json, json.Message!.Format);
        var padded = Decode([0xEF, 0xBB, 0xBF, .. " \r\n\t"u8, .. Samples.Utf8(Samples.Json())], contentType);
        Assert.True(padded.IsSuccess, padded.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("hello")]
    [InlineData("TCB")]
    public void Without_a_content_type_an_unrecognisable_payload_is_refused(string payload)
    {
        Assert.Equal("unknown-format", Decode(Samples.Utf8(payload), null).Rejection!.Code);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("application/vnd.twincluster.block.v2")]
    public void An_unknown_content_type_is_refused(string contentType)
    {
        var result = Decode(Samples.Utf8(Samples.Json()), contentType);
        Assert.Equal("unsupported-content-type", result.Rejection!.Code);
        Assert.Contains(contentType, result.Rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_content_type_wins_over_the_payload()
    {
        Assert.Equal("malformed-json", Decode(Samples.BlockBytes(), ContentTypes.Json).Rejection!.Code);
        Assert.Equal("malformed-binary", Decode(Samples.Utf8(Samples.Json()), ContentTypes.BinaryBlock).Rejection!.Code);
    }

    [Fact]
    public void A_payload_over_the_size_limit_is_refused_before_decoding()
    {
        var bytes = Samples.BlockBytes(samples: 1024);
        var limits = IngressLimits.Default with { MaxPayloadBytes = bytes.Length - 1 };
        Assert.Equal("too-large", Decode(bytes, null, limits).Rejection!.Code);
        Assert.True(Decode(bytes, null, limits with { MaxPayloadBytes = bytes.Length }).IsSuccess);
    }

    [Fact]
    public void A_payload_for_another_twin_is_refused()
    {
        var json = Samples.Json(extra: ""","twin":"wt-01-mb" """);
        Assert.True(Decode(Samples.Utf8(json), null).IsSuccess);
        Assert.Equal("twin-mismatch", Decode(Samples.Utf8(json), null, twin: new TwinId("wt-02-mb")).Rejection!.Code);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(5 * 60, null)]
    [InlineData(5 * 60 + 1, "timestamp-future")]
    [InlineData(-7 * 24 * 3600, null)]
    [InlineData(-7 * 24 * 3600 - 1, "timestamp-past")]
    public void Timestamps_outside_the_skew_limits_are_refused(int offsetSeconds, string? code)
    {
        var message = Samples.Block();
        var shifted = new TelemetryMessage(message.TwinId, 1, Samples.Now.AddSeconds(offsetSeconds), 100, message.Channels, WireFormat.Binary);
        var result = Decode(BinaryTelemetryCodec.Encode(shifted), null);
        Assert.Equal(code, result.Rejection?.Code);
    }

    [Fact]
    public void Skew_limits_are_configurable()
    {
        var json = Samples.Utf8("""{"seq":1,"ts":"2026-11-25T18:10:00Z","values":{"a":1}}""");
        Assert.Equal("timestamp-future", Decode(json, null).Rejection!.Code);
        Assert.True(Decode(json, null, IngressLimits.Default with { MaxFutureSkew = TimeSpan.FromMinutes(15) }).IsSuccess);
        var old = Samples.Utf8("""{"seq":1,"ts":"2026-11-25T17:00:00Z","values":{"a":1}}""");
        Assert.Equal("timestamp-past", Decode(old, null, IngressLimits.Default with { MaxPastAge = TimeSpan.FromMinutes(30) }).Rejection!.Code);
    }

    [Fact]
    public void Non_finite_samples_are_refused_in_both_formats()
    {
        Assert.Equal("non-finite", Decode(Samples.Utf8(Samples.Json("""{"a":[1,NaN]}""")), null).Rejection!.Code);
        var block = Samples.BlockBytes(samples: 4);
        BitConverter.GetBytes(float.PositiveInfinity).CopyTo(block, block.Length - 4);
        Assert.Equal("non-finite", Decode(block, null).Rejection!.Code);
    }

    [Fact]
    public void A_multi_segment_sequence_decodes_like_one_buffer()
    {
        var bytes = Samples.BlockBytes(samples: 100);
        var first = new Segment(bytes.AsMemory(0, 40));
        var last = first.Append(bytes.AsMemory(40));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        Assert.False(sequence.IsSingleSegment);
        var result = PayloadDecoder.Decode(Samples.Twin, sequence, null, IngressLimits.Default, Samples.Now);
        Assert.True(result.IsSuccess, result.ToString());
        JsonCodecTests.AssertSame(BinaryTelemetryCodec.Decode(bytes, Samples.Twin, IngressLimits.Default).Message!, result.Message);
        var small = IngressLimits.Default with { MaxPayloadBytes = 100 };
        Assert.Equal("too-large", PayloadDecoder.Decode(Samples.Twin, sequence, null, small, Samples.Now).Rejection!.Code);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
