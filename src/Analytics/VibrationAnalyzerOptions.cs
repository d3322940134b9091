namespace TwinCluster.Analytics;

/// <summary>Configuration of a <see cref="VibrationAnalyzer"/> (one per channel); the shared settings are in <see cref="ConditionAnalyzerOptions"/>.</summary>
public sealed record VibrationAnalyzerOptions : ConditionAnalyzerOptions
{
    /// <summary>Segment length for spectra (power of two); 0 picks the power of two nearest to half a second.</summary>
    public int WindowSize { get; init; }

    /// <summary>Overlap of consecutive segments in [0, 0.75]; more overlap averages more segments of a long capture.</summary>
    public double Overlap { get; init; }

    /// <summary>Component kind, which picks default severity zones.</summary>
    public ComponentKind Component { get; init; } = ComponentKind.Generic;

    /// <summary>Finest dyadic level of the envelope band grid (level l has bands of width fs / 2^(l+1), half-overlapping).</summary>
    public int EnvelopeLevels { get; init; } = 3;

    /// <summary>
    /// Bands whose envelope spectra are examined: the whole band plus the most impulsive (highest spectral kurtosis)
    /// of the grid, up to this many in all; 0 examines every band of the grid.
    /// </summary>
    public int EnvelopeCandidates { get; init; } = 8;
}
