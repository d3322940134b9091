using System.Collections.Concurrent;
using System.Globalization;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// What operators told the simulated devices (thread-safe: commands arrive on MQTT threads, the simulation reads
/// them on each tick): stopped or running, a power cap, and a vibration sample rate. A stopped turbine spins down over
/// <see cref="SpinTimeConstantSeconds"/>: shaft speeds fall with it and power with its cube.
/// </summary>
public sealed class DeviceControls
{
    /// <summary>Slowest vibration sample rate a simulated accelerometer takes: below it the envelope analysis has no resonance band above the defect lines.</summary>
    public const double MinSampleRateHz = 1_000;

    /// <summary>Fastest vibration sample rate a simulated accelerometer takes (that of common 51.2 kHz vibration acquisition).</summary>
    public const double MaxSampleRateHz = 51_200;

    private readonly ConcurrentDictionary<string, Control> _controls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _sampleRates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _sampleRatesInUse = new(StringComparer.Ordinal);

    /// <summary>Time constant of spinning down and up again, in seconds.</summary>
    public double SpinTimeConstantSeconds { get; init; } = 8;

    /// <summary>Stops (true) or starts (false) a turbine.</summary>
    public void SetStopped(string turbineId, bool stopped) => _controls.AddOrUpdate(turbineId, _ => new Control(stopped, null), (_, c) => c with { Stopped = stopped });

    /// <summary>Caps a turbine's power (null: no cap).</summary>
    public void SetPowerLimit(string turbineId, double? maxPowerKw) => _controls.AddOrUpdate(turbineId, _ => new Control(false, maxPowerKw), (_, c) => c with { MaxPowerKw = maxPowerKw });

    /// <summary>True when the turbine was told to stop.</summary>
    public bool IsStopped(string turbineId) => _controls.TryGetValue(turbineId, out var c) && c.Stopped;

    /// <summary>The turbine's power cap, or null.</summary>
    public double? PowerLimit(string turbineId) => _controls.TryGetValue(turbineId, out var c) ? c.MaxPowerKw : null;

    /// <summary>Null when <paramref name="sampleRateHz"/> is a rate the simulated accelerometer takes, else why not (naming the value).</summary>
    public static string? CheckSampleRate(double sampleRateHz) =>
        double.IsFinite(sampleRateHz) && sampleRateHz is >= MinSampleRateHz and <= MaxSampleRateHz
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"vibrationSampleRateHz {sampleRateHz} is outside what the accelerometer and the analysis take: {MinSampleRateHz:0} to {MaxSampleRateHz:0} Hz");

    /// <summary>Sets a twin's vibration sample rate (checked with <see cref="CheckSampleRate"/>); the next block is sampled at it.</summary>
    public void SetSampleRate(string twinId, double sampleRateHz)
    {
        if (CheckSampleRate(sampleRateHz) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, problem);
        }

        _sampleRates[twinId] = sampleRateHz;
    }

    /// <summary>The sample rate an operator set for the twin, or null (then the simulation's own choice holds).</summary>
    public double? SampleRate(string twinId) => _sampleRates.TryGetValue(twinId, out var fs) ? fs : null;

    /// <summary>The sample rate the twin's vibration blocks are sampled at now (as the simulation noted it), or null.</summary>
    public double? SampleRateInUse(string twinId) => _sampleRatesInUse.TryGetValue(twinId, out var fs) ? fs : null;

    /// <summary>Called by the simulation when it (re)starts a twin's vibration channel at a rate.</summary>
    internal void NoteSampleRateInUse(string twinId, double sampleRateHz) => _sampleRatesInUse[twinId] = sampleRateHz;

    private sealed record Control(bool Stopped, double? MaxPowerKw);
}
