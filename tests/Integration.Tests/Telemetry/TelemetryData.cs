using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Integration.Tests.Telemetry;

/// <summary>Messages the telemetry tests build themselves.</summary>
internal static class TelemetryData
{
    public static readonly DateTimeOffset Day1 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Day2 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static TwinId NewTwin() => new($"wt-{Guid.NewGuid():N}");

    /// <summary>A binary-format block of float32-exact samples (stored 4 bytes a sample).</summary>
    public static TelemetryMessage Block(TwinId twin, long seq, DateTimeOffset? timestamp = null, int samples = 64)
    {
        var values = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            values[i] = (float)Math.Sin((seq + i) * 0.37);
        }

        return new TelemetryMessage(twin, seq, timestamp ?? Day1.AddMilliseconds(seq), 25_600,
            [new TelemetryChannel("vibration", values, "metrePerSecondSquared")], WireFormat.Binary);
    }

    /// <summary>A JSON-format message whose doubles are not float32-exact (stored 8 bytes a sample).</summary>
    public static TelemetryMessage Json(TwinId twin, long seq, DateTimeOffset? timestamp = null) =>
        new(twin, seq, timestamp ?? Day1.AddMilliseconds(seq), null,
            ImmutableArray.Create(
                new TelemetryChannel("temperature", [21.1 + seq], "degreeCelsius", isScalar: true),
                new TelemetryChannel("rotor/speed", [0.1, -0.0, 1e-300, double.MaxValue, double.Epsilon, Math.PI])),
            WireFormat.Json);
}
