namespace TwinCluster.Analytics;

/// <summary>Configuration of a <see cref="VibrationAnalyzer"/> (one per channel).</summary>
public sealed record VibrationAnalyzerOptions
{
    /// <summary>Sample rate in Hz.</summary>
    public required double SampleRateHz { get; init; }

    /// <summary>Segment length for spectra (power of two); 0 picks the power of two nearest to half a second.</summary>
    public int WindowSize { get; init; }

    /// <summary>Overlap of consecutive segments in [0, 0.75]; more overlap averages more segments of a long capture.</summary>
    public double Overlap { get; init; }

    /// <summary>Bearing monitored by this channel; null skips bearing diagnosis.</summary>
    public BearingGeometry? Bearing { get; init; }

    /// <summary>Component kind, which picks default severity zones.</summary>
    public ComponentKind Component { get; init; } = ComponentKind.Generic;

    /// <summary>Severity zones; null uses <see cref="SeverityZones.For(ComponentKind)"/>.</summary>
    public SeverityZones? Zones { get; init; }

    /// <summary>Relative error allowed on the shaft speed reading when looking for lines (0.03 = ±3 %).</summary>
    public double SpeedTolerance { get; init; } = 0.03;

    /// <summary>Harmonics of each defect frequency examined.</summary>
    public int Harmonics { get; init; } = 3;

    /// <summary>Finest dyadic level of the envelope band grid (level l has bands of width fs / 2^(l+1), half-overlapping).</summary>
    public int EnvelopeLevels { get; init; } = 3;

    /// <summary>
    /// Bands whose envelope spectra are examined: the whole band plus the most impulsive (highest spectral kurtosis)
    /// of the grid, up to this many in all; 0 examines every band of the grid.
    /// </summary>
    public int EnvelopeCandidates { get; init; } = 8;

    /// <summary>Metres per second squared per input unit (9.80665 for samples in g).</summary>
    public double UnitToMetresPerSecondSquared { get; init; } = 9.80665;

    /// <summary>Bearing-fault score (dB, harmonic sum) above which a defect is reported.</summary>
    public double FaultScoreThreshold { get; init; } = 14;
}
