namespace TwinCluster.Analytics.Simulation;

/// <summary>Configuration of one simulated acceleration channel (units: g, Hz, seconds, mm/s).</summary>
public sealed record BearingVibrationOptions
{
    /// <summary>Sample rate in Hz.</summary>
    public required double SampleRateHz { get; init; }

    /// <summary>Geometry of the bearing whose defect frequencies the impacts follow.</summary>
    public required BearingGeometry Bearing { get; init; }

    /// <summary>Nominal shaft speed in Hz (can be changed later through <see cref="BearingVibrationSimulator.NominalShaftHz"/>).</summary>
    public required double ShaftHz { get; init; }

    /// <summary>Peak relative deviation of the slow speed drift around nominal (0.02 = ±2 %).</summary>
    public double SpeedDrift { get; init; } = 0.02;

    /// <summary>Period of the main component of the speed drift; a second, faster component runs at 0.37 of it.</summary>
    public double SpeedDriftPeriodSeconds { get; init; } = 60;

    /// <summary>Defect simulated.</summary>
    public SimulatedFault Fault { get; init; } = SimulatedFault.None;

    /// <summary>Initial fault severity in [0, 1]; ignored when <see cref="Degradation"/> is set.</summary>
    public double Severity { get; init; }

    /// <summary>Severity over the simulator's clock; null keeps <see cref="BearingVibrationSimulator.Severity"/> as set.</summary>
    public DegradationProfile? Degradation { get; init; }

    /// <summary>Clock time of the first sample, for <see cref="Degradation"/>.</summary>
    public double StartTimeSeconds { get; init; }

    /// <summary>Peak acceleration of one defect impact's ring-down at severity 1, in g.</summary>
    public double ImpactAmplitudeG { get; init; } = 2.0;

    /// <summary>Natural frequency of the structure the impacts excite.</summary>
    public double ResonanceHz { get; init; } = 3000;

    /// <summary>Damping ratio of that resonance (0.04: a ring-down of a few milliseconds at 3 kHz).</summary>
    public double DampingRatio { get; init; } = 0.04;

    /// <summary>Random jitter of the interval between impacts, as a fraction of it (rolling elements slip: 1–2 %).</summary>
    public double SlipJitter { get; init; } = 0.015;

    /// <summary>Depth of the amplitude modulation of inner-race (at shaft speed) and ball (at FTF) impacts, in [0, 1].</summary>
    public double ModulationDepth { get; init; } = 0.8;

    /// <summary>Once-per-revolution velocity (imbalance), mm/s RMS.</summary>
    public double OneXVelocityMmPerS { get; init; } = 0.5;

    /// <summary>Twice-per-revolution velocity (misalignment), mm/s RMS.</summary>
    public double TwoXVelocityMmPerS { get; init; } = 0.2;

    /// <summary>
    /// Once-per-revolution velocity added at severity 1 (mm/s RMS, growing with severity squared): a spreading defect
    /// loosens the bearing and raises the overall level late in life, which is what velocity severity zones see. Not applied without a fault.
    /// </summary>
    public double WearVelocityMmPerS { get; init; } = 4.0;

    /// <summary>Broadband (white) acceleration noise, g RMS.</summary>
    public double NoiseG { get; init; } = 0.1;

    /// <summary>Seed: the same options and seed give the same samples.</summary>
    public long Seed { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        Require(SampleRateHz > 0, nameof(SampleRateHz), "must be positive");
        ArgumentNullException.ThrowIfNull(Bearing);
        _ = Bearing.FaultOrders();
        Require(ShaftHz > 0 && ShaftHz < SampleRateHz / 20, nameof(ShaftHz), "must be positive and far below the sample rate");
        Require(SpeedDrift is >= 0 and < 0.5, nameof(SpeedDrift), "must be in [0, 0.5)");
        Require(SpeedDriftPeriodSeconds > 0, nameof(SpeedDriftPeriodSeconds), "must be positive");
        Require(Severity is >= 0 and <= 1, nameof(Severity), "must be in [0, 1]");
        Degradation?.Validate();
        Require(ImpactAmplitudeG >= 0, nameof(ImpactAmplitudeG), "must not be negative");
        Require(ResonanceHz > 0 && ResonanceHz < 0.45 * SampleRateHz, nameof(ResonanceHz), "must be positive and below 0.45 of the sample rate");
        Require(DampingRatio is > 0 and < 1, nameof(DampingRatio), "must be in (0, 1)");
        Require(SlipJitter is >= 0 and <= 0.2, nameof(SlipJitter), "must be in [0, 0.2]");
        Require(ModulationDepth is >= 0 and <= 1, nameof(ModulationDepth), "must be in [0, 1]");
        Require(OneXVelocityMmPerS >= 0 && TwoXVelocityMmPerS >= 0 && WearVelocityMmPerS >= 0 && NoiseG >= 0, "levels", "must not be negative");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"{nameof(BearingVibrationOptions)}.{name} {rule}.");
        }
    }
}
