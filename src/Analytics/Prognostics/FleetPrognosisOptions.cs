namespace TwinCluster.Analytics.Prognostics;

/// <summary>Configuration of a <see cref="FleetPrognosis"/>.</summary>
public sealed record FleetPrognosisOptions
{
    /// <summary>Peak acceleration that defines failure (20 g for PRONOSTIA).</summary>
    public double FailurePeak { get; init; } = 20;

    /// <summary>Captures at the start of a history that define the machine's own healthy level (the median of their RMS).</summary>
    public int BaselineCaptures { get; init; } = 10;

    /// <summary>RMS (rolling median of five) above this multiple of the healthy level counts as degradation.</summary>
    public double DegradedRmsRatio { get; init; } = 1.6;

    /// <summary>Peak (rolling median of five) above this fraction of <see cref="FailurePeak"/> counts as degradation.</summary>
    public double DegradedPeakFraction { get; init; } = 0.3;

    /// <summary>Kernel bandwidth on the log of the operating age, for histories that show no degradation.</summary>
    public double AgeBandwidth { get; init; } = 0.35;

    /// <summary>Kernel bandwidth on the degradation state (standard deviations of its features among degraded training states).</summary>
    public double StateBandwidth { get; init; } = 1;

    /// <summary>Two-sided coverage of the band: the weighted quantiles of the matched training lives (0.9: 5 % to 95 %).</summary>
    public double Coverage { get; init; } = 0.9;

    /// <summary>
    /// 0 (the default): answer the value with the best expected PHM 2012 accuracy over the matched lives; otherwise
    /// answer this weighted quantile of them (e.g. 0.25: three quarters of the matched machines lasted longer).
    /// </summary>
    public double AnswerQuantile { get; init; }

    /// <summary>
    /// Compare undegraded histories by their operating age (kernel <see cref="AgeBandwidth"/> on log age). Off by
    /// default: every undegraded state of the fleet votes alike, because on PRONOSTIA the age of an undegraded bearing
    /// says little about its remaining life (lives differ twelve-fold; leave-one-bearing-out 0.084 with age, 0.138 without).
    /// </summary>
    public bool UseAge { get; init; }
}
