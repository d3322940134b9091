namespace TwinCluster.Analytics;

/// <summary>
/// Settings shared by the windowed (<see cref="VibrationAnalyzerOptions"/>) and the slow-shaft
/// (<see cref="SlowShaftAnalyzerOptions"/>) analyzers: what is monitored, how defect lines are searched and scored,
/// and when a defect is reported.
/// </summary>
public abstract record ConditionAnalyzerOptions
{
    /// <summary>Sample rate in Hz.</summary>
    public required double SampleRateHz { get; init; }

    /// <summary>Bearing monitored by this channel; null skips bearing diagnosis.</summary>
    public BearingGeometry? Bearing { get; init; }

    /// <summary>Severity zones; null uses <see cref="SeverityZones.For(ComponentKind)"/> of the component kind.</summary>
    public SeverityZones? Zones { get; init; }

    /// <summary>Relative error allowed on the shaft speed reading (or the defect orders) when looking for lines (0.03 = ±3 %).</summary>
    public double SpeedTolerance { get; init; } = 0.03;

    /// <summary>Harmonics of each defect frequency examined.</summary>
    public int Harmonics { get; init; } = 3;

    /// <summary>Metres per second squared per input unit (9.80665 for samples in g).</summary>
    public double UnitToMetresPerSecondSquared { get; init; } = 9.80665;

    /// <summary>Bearing-fault score (dB, harmonic sum) above which a defect is reported.</summary>
    public double FaultScoreThreshold { get; init; } = 14;
}
