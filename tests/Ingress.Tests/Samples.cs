using System.Collections.Immutable;
using System.Text;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests;

/// <summary>Small messages the tests build themselves.</summary>
internal static class Samples
{
    public static readonly TwinId Twin = new("wt-01-mb");
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 18, 0, 0, TimeSpan.Zero);

    public static TelemetryMessage Block(long seq = 42, int samples = 1024, double? fs = 25_600, int channels = 1)
    {
        var list = ImmutableArray.CreateBuilder<TelemetryChannel>();
        for (var c = 0; c < channels; c++)
        {
            var values = new double[samples];
            for (var i = 0; i < samples; i++)
            {
                // float32-exact values, so a binary round trip compares equal.
                values[i] = (float)Math.Sin((i + c) * 0.1);
            }

            list.Add(new TelemetryChannel(c == 0 ? "vibration" : $"vibration{c}", values));
        }

        return new TelemetryMessage(Twin, seq, Now.AddSeconds(-1), fs, list.ToImmutable(), WireFormat.Binary);
    }

    public static byte[] BlockBytes(long seq = 42, int samples = 64, double? fs = 25_600, int channels = 1) =>
        BinaryTelemetryCodec.Encode(Block(seq, samples, fs, channels));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Json(string values = """{"vibration":[0.5,-0.25,1],"temperature":61.5}""", string extra = "") =>
        $$"""{"seq":7,"ts":"2026-11-25T17:59:59.500Z","fs":25600,"values":{{values}}{{extra}}}""";
}
