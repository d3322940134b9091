using System.Collections.Immutable;
using System.Text;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests;

public sealed class JsonCodecTests
{
    private static DecodeResult Decode(string json, IngressLimits? limits = null) =>
        JsonTelemetryCodec.Decode(Samples.Utf8(json), Samples.Twin, limits ?? IngressLimits.Default);

    [Fact]
    public void A_full_message_decodes_with_every_field()
    {
        var result = Decode(Samples.Json(extra: ""","units":{"temperature":"degreeCelsius"},"twin":"wt-01-mb","firmware":{"v":[1,2]}"""));
        Assert.True(result.IsSuccess, result.ToString());
        var m = result.Message;
        Assert.Equal(7, m.Seq);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 17, 59, 59, 500, TimeSpan.Zero), m.Timestamp);
        Assert.Equal(25_600, m.SampleRateHz);
        Assert.Equal(WireFormat.Json, m.Format);
        Assert.Equal(["vibration", "temperature"], m.Channels.Select(c => c.Name));
        Assert.Equal([0.5, -0.25, 1], m.Find("vibration")!.Values.ToArray());
        Assert.False(m.Find("vibration")!.IsScalar);
        Assert.True(m.Find("temperature")!.IsScalar);
        Assert.Equal("degreeCelsius", m.Find("temperature")!.Unit);
        Assert.Null(m.Find("vibration")!.Unit);
        Assert.Equal(4, m.SampleCount);
    }

    [Fact]
    public void Encode_then_decode_gives_the_same_message()
    {
        var original = new TelemetryMessage(Samples.Twin, 123_456_789_012, new DateTimeOffset(2026, 11, 25, 17, 0, 0, 123, TimeSpan.FromHours(1)), 1000.5,
            [
                new TelemetryChannel("vibration", [0.1, -1e-300, 12345.678901234567, double.Epsilon]),
                new TelemetryChannel("temperature", [61.5], "degreeCelsius", isScalar: true),
                new TelemetryChannel("gearbox/oilTemperature", [40]),
            ], WireFormat.Json);
        var bytes = JsonTelemetryCodec.Encode(original);
        var back = JsonTelemetryCodec.Decode(bytes, Samples.Twin, IngressLimits.Default);
        Assert.True(back.IsSuccess, back.ToString() + " " + Encoding.UTF8.GetString(bytes));
        AssertSame(original, back.Message);
    }

    [Fact]
    public void A_message_without_a_sample_rate_round_trips_without_one()
    {
        var original = new TelemetryMessage(Samples.Twin, 0, Samples.Now, null, [new TelemetryChannel("shaftSpeed", [1500.0], isScalar: true)], WireFormat.Json);
        var back = Decode(Encoding.UTF8.GetString(JsonTelemetryCodec.Encode(original)));
        Assert.True(back.IsSuccess);
        Assert.Null(back.Message.SampleRateHz);
        Assert.DoesNotContain("\"fs\"", Encoding.UTF8.GetString(JsonTelemetryCodec.Encode(original)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "malformed-json")]
    [InlineData("[]", "malformed-json")]
    [InlineData("{", "malformed-json")]
    [InlineData("{\"seq\":1,", "malformed-json")]
    [InlineData("""{"ts":"2026-11-25T17:59:59Z","values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z"}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{}}""", "malformed-json")]
    [InlineData("""{"seq":-1,"ts":"2026-11-25T17:59:59Z","values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1.5,"ts":"2026-11-25T17:59:59Z","values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":"1","ts":"2026-11-25T17:59:59Z","values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":99999999999999999999,"ts":"2026-11-25T17:59:59Z","values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"seq":2,"ts":"2026-11-25T17:59:59Z","values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59","values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":1764093599000,"values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"yesterday","values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":"x"}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":[]}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":[[1]]}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":1,"a":2}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"1a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a_":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":1},"units":{"b":"metre"}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","fs":0,"values":{"a":1}}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":1}} {}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":1},}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":1}, /* c */ "x":1}""", "malformed-json")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":NaN}}""", "non-finite")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":[1, Infinity]}}""", "non-finite")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":[1,-Infinity]}}""", "non-finite")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":"NaN"}}""", "non-finite")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":[1e400]}}""", "non-finite")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","fs":1e999,"values":{"a":1}}""", "non-finite")]
    [InlineData("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":1},"twin":"wt-02"}""", "twin-mismatch")]
    public void Bad_json_is_refused_with_a_reason_and_never_throws(string json, string code)
    {
        var result = Decode(json);
        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Rejection.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Message));
    }

    [Fact]
    public void Rejections_name_the_offending_field()
    {
        var result = Decode("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"vibration":[1,2,"x"]}}""");
        Assert.Contains("values.vibration[2]", result.Rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var deep = Samples.Json(extra: ""","extra":{"a":{"b":{"c":{"d":1}}}}""");
        Assert.Equal(DeadLetterReason.MalformedJson, Decode(deep).Rejection!.Reason);
        Assert.True(Decode(deep, IngressLimits.Default with { MaxJsonDepth = 8 }).IsSuccess);
    }

    [Fact]
    public void Channel_and_sample_limits_are_enforced()
    {
        var limits = IngressLimits.Default with { MaxChannels = 2, MaxSamplesPerChannel = 3, MaxTotalSamples = 4 };
        Assert.True(Decode("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":[1,2,3],"b":4}}""", limits).IsSuccess);
        Assert.Equal("too-large", Decode("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":1,"b":2,"c":3}}""", limits).Rejection!.Code);
        Assert.Equal("too-large", Decode("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":[1,2,3,4]}}""", limits).Rejection!.Code);
        Assert.Equal("too-large", Decode("""{"seq":1,"ts":"2026-11-25T17:59:59Z","values":{"a":[1,2,3],"b":[4,5]}}""", limits).Rejection!.Code);
        Assert.Equal("too-large", Decode(Samples.Json(), limits with { MaxPayloadBytes = 20 }).Rejection!.Code);
    }

    [Fact]
    public void Timestamps_with_an_offset_are_read_in_that_offset()
    {
        var result = Decode("""{"seq":1,"ts":"2026-11-25T19:00:00+01:00","values":{"a":1}}""");
        Assert.True(result.IsSuccess);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 18, 0, 0, TimeSpan.Zero), result.Message.Timestamp);
    }

    [Fact]
    public void A_payload_of_random_bytes_never_throws()
    {
        var random = new Random(1234);
        var good = Samples.Utf8(Samples.Json());
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = (byte[])good.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var result = JsonTelemetryCodec.Decode(bytes.AsSpan(0, random.Next(bytes.Length + 1)), Samples.Twin, IngressLimits.Default);
            Assert.True(result.IsSuccess || result.Rejection is not null);
        }
    }

    internal static void AssertSame(TelemetryMessage expected, TelemetryMessage actual)
    {
        Assert.Equal(expected.TwinId, actual.TwinId);
        Assert.Equal(expected.Seq, actual.Seq);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.SampleRateHz, actual.SampleRateHz);
        Assert.Equal(expected.Channels.Length, actual.Channels.Length);
        for (var i = 0; i < expected.Channels.Length; i++)
        {
            Assert.Equal(expected.Channels[i].Name, actual.Channels[i].Name);
            Assert.Equal(expected.Channels[i].Values.ToArray(), actual.Channels[i].Values.ToArray());
            Assert.Equal(expected.Channels[i].Unit, actual.Channels[i].Unit);
            Assert.Equal(expected.Channels[i].IsScalar, actual.Channels[i].IsScalar);
        }
    }
}
