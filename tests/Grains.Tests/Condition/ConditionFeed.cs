using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Tests.Condition;

/// <summary>
/// Simulated bearing telemetry as a twin receives it: 1,024-sample vibration blocks with the shaft speed, one record
/// per block, timestamps on the sample clock from a chosen start.
/// </summary>
internal sealed class ConditionFeed
{
    public const int BlockSize = 1024;

    /// <summary>SKF 6205 (the CWRU drive-end bearing), diameters in mm.</summary>
    public static readonly BearingGeometry Bearing = new(9, 7.94004, 39.0398, 0);

    public static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly BearingVibrationSimulator _simulator;
    private long _seq;

    public ConditionFeed(double sampleRateHz = 12_800, SimulatedFault fault = SimulatedFault.OuterRace, double severity = 0, double shaftHz = 25,
        double resonanceHz = 3000, long seed = 7, BearingGeometry? bearing = null, DegradationProfile? degradation = null)
    {
        SampleRateHz = sampleRateHz;
        _simulator = new BearingVibrationSimulator(new BearingVibrationOptions
        {
            SampleRateHz = sampleRateHz,
            Bearing = bearing ?? Bearing,
            Degradation = degradation,
            ShaftHz = shaftHz,
            Fault = fault,
            Severity = severity,
            ResonanceHz = resonanceHz,
            Seed = seed,
        });
    }

    public double SampleRateHz { get; }

    public double Severity
    {
        get => _simulator.Severity;
        set => _simulator.Severity = value;
    }

    public static string Properties(double sampleRateHz = 12_800) =>
        FormattableString.Invariant($$"""{"bearingType":"deepGrooveBall","balls":9,"ballDiameterMm":7.94004,"pitchDiameterMm":39.0398,"contactAngleDeg":0,"vibrationSampleRateHz":{{sampleRateHz}}}""");

    public static DateTime At(double seconds) => Epoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    /// <summary>The next block, stamped <paramref name="timestamp"/>, labelled with <paramref name="labelledRateHz"/> (default: the true rate).</summary>
    public TelemetryRecord Next(DateTime timestamp, double? labelledRateHz = null)
    {
        var block = new float[BlockSize];
        _simulator.Fill(block);
        return new TelemetryRecord(++_seq, timestamp, labelledRateHz ?? SampleRateHz, timestamp,
        [
            new TelemetryValue("vibration", "gForce", 0, block),
            new TelemetryValue("temperature", "degreeCelsius", 40, null),
            new TelemetryValue("shaftSpeed", "revolutionPerMinute", _simulator.LastFillMeanShaftHz * 60, null),
        ]);
    }

    /// <summary>Contiguous records covering at least <paramref name="seconds"/> from <paramref name="startSeconds"/>.</summary>
    public List<TelemetryRecord> Records(double startSeconds, double seconds)
    {
        var blockSeconds = BlockSize / SampleRateHz;
        var count = (int)Math.Ceiling(seconds / blockSeconds - 1e-9);
        var records = new List<TelemetryRecord>(count);
        for (var k = 0; k < count; k++)
        {
            records.Add(Next(At(startSeconds + k * blockSeconds)));
        }

        return records;
    }

    /// <summary>Feeds a capture; returns how many records changed the condition materially.</summary>
    public int Capture(ComponentMonitor monitor, double startSeconds, double seconds, List<AlertTransition>? transitions = null)
    {
        var changes = 0;
        foreach (var record in Records(startSeconds, seconds))
        {
            if (monitor.Offer(record))
            {
                changes++;
            }

            if (monitor.TakeTransition() is { } transition)
            {
                transitions?.Add(transition);
            }
        }

        return changes;
    }
}
