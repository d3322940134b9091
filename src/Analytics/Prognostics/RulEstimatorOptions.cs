namespace TwinCluster.Analytics.Prognostics;

/// <summary>Configuration of a <see cref="RulEstimator"/>.</summary>
public sealed record RulEstimatorOptions
{
    /// <summary>Health index at which the alarm is raised (end of useful life); 0.25 is the C/D zone boundary.</summary>
    public double AlarmThreshold { get; init; } = 0.25;

    /// <summary>Points (most recent) used to fit the degradation trend.</summary>
    public int TrendWindow { get; init; } = 20;

    /// <summary>Fewest points needed for a trend fit.</summary>
    public int MinPoints { get; init; } = 5;

    /// <summary>Two-sided coverage of the band (0.9: 5 % to 95 %).</summary>
    public double Coverage { get; init; } = 0.9;

    /// <summary>Answer when no degradation trend is seen; null uses three times the observed span.</summary>
    public double? HorizonSeconds { get; init; }
}
