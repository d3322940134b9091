using System.Collections.Immutable;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Wire;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>Settings of a <see cref="FleetSimulation"/>.</summary>
public sealed record FleetSimulationOptions
{
    /// <summary>Geometry used for a vibration channel whose twin gives none (the CWRU drive-end SKF 6205).</summary>
    public static BearingGeometry DefaultBearing { get; } = new(9, 0.3126, 1.537, 0);

    /// <summary>Samples per vibration block (default 1,024).</summary>
    public int BlockSize { get; init; } = 1024;

    /// <summary>Sample rate of every vibration block; null takes each bearing twin's <c>vibrationSampleRateHz</c>, else <see cref="DefaultSampleRateHz"/>.</summary>
    public double? SampleRateHz { get; init; }

    /// <summary>Sample rate used when neither <see cref="SampleRateHz"/> nor the twin gives one.</summary>
    public double DefaultSampleRateHz { get; init; } = 25_600;

    /// <summary>Messages per second per twin: each tick advances the simulated clock by its inverse.</summary>
    public double TickRateHz { get; init; } = 1;

    /// <summary>First seq of every twin not in <see cref="ResumeSeq"/> (default 1).</summary>
    public long SeqStart { get; init; } = 1;

    /// <summary>Per twin id, the seq to resume from (the next message carries it).</summary>
    public ImmutableDictionary<string, long> ResumeSeq { get; init; } = ImmutableDictionary<string, long>.Empty;

    /// <summary>Seed: the same twins, options and seed give the same samples, tick for tick.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Per twin id, the defect that grows in it (outer or inner race); the others stay healthy.</summary>
    public ImmutableDictionary<string, SimulatedFault> Faults { get; init; } = ImmutableDictionary<string, SimulatedFault>.Empty;

    /// <summary>Simulated seconds before a fault starts to grow (default 0).</summary>
    public double FaultOnsetSeconds { get; init; }

    /// <summary>Simulated seconds from onset until a fault reaches severity 1 (default one hour).</summary>
    public double FaultDurationSeconds { get; init; } = 3600;

    /// <summary>Severity just after onset, in (0, 1).</summary>
    public double FaultOnsetSeverity { get; init; } = 0.05;

    /// <summary>Wind, power curve and thermal settings shared by every turbine (each gets its own seed).</summary>
    public TurbineOperatingOptions Turbine { get; init; } = new();

    /// <summary>The format recorded in each message (the publisher chooses the encoding).</summary>
    public WireFormat Format { get; init; } = WireFormat.Binary;

    /// <summary>Clock for message timestamps: real UTC now by default, so latency can be measured downstream.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        Require(BlockSize >= 1, nameof(BlockSize), "must be at least 1");
        Require(SampleRateHz is null || (SampleRateHz > 0 && double.IsFinite(SampleRateHz.Value)), nameof(SampleRateHz), "must be positive");
        Require(DefaultSampleRateHz > 0 && double.IsFinite(DefaultSampleRateHz), nameof(DefaultSampleRateHz), "must be positive");
        Require(TickRateHz > 0 && double.IsFinite(TickRateHz), nameof(TickRateHz), "must be positive");
        Require(SeqStart >= 0, nameof(SeqStart), "must not be negative");
        Require(ResumeSeq.Values.All(v => v >= 0), nameof(ResumeSeq), "must not hold a negative seq");
        Require(FaultOnsetSeconds >= 0 && FaultDurationSeconds > 0, nameof(FaultDurationSeconds), "must be positive (and the onset not negative)");
        Require(FaultOnsetSeverity is > 0 and < 1, nameof(FaultOnsetSeverity), "must be in (0, 1)");
        Require(Faults.Values.All(f => f is SimulatedFault.OuterRace or SimulatedFault.InnerRace or SimulatedFault.Ball or SimulatedFault.Cage),
            nameof(Faults), "must name a defect");
        ArgumentNullException.ThrowIfNull(Turbine);
        Turbine.Validate();
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"{nameof(FleetSimulationOptions)}.{name} {rule}.");
        }
    }
}
