namespace TwinCluster.Analytics.Prognostics;

/// <summary>Configuration of a <see cref="RulEstimator"/>.</summary>
public sealed record RulEstimatorOptions
{
    /// <summary>
    /// Health index at which the alarm is raised (end of useful life). The default 0.25 suits <see cref="BaselineHealth"/>
    /// (RMS at about 5.6 times the baseline); for the analyzer's health index, whose alarm is 0.5, pass 0.5.
    /// </summary>
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
