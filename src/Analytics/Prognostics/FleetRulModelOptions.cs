namespace TwinCluster.Analytics.Prognostics;

/// <summary>Configuration of a <see cref="FleetRulModel"/>.</summary>
public sealed record FleetRulModelOptions
{
    /// <summary>Peak acceleration that defines failure (20 g for PRONOSTIA).</summary>
    public double FailurePeak { get; init; } = 20;

    /// <summary>Use the operating age as a state feature (off: the state is vibration only).</summary>
    public bool UseAge { get; init; }

    /// <summary>Use vibration state features (RMS growth over the healthy baseline, peak relative to failure, RMS slope, kurtosis).</summary>
    public bool UseVibration { get; init; } = true;

    /// <summary>Add the recent RMS slope and kurtosis to the state (noisier than the growth features).</summary>
    public bool UseTrendAndShape { get; init; } = true;

    /// <summary>
    /// Learn and predict the remaining life as a multiple of the operating age (time since the first capture) rather
    /// than in seconds: a state is then read as a fraction of life used, which transfers between machines whose
    /// lives differ several-fold. Needs histories that start when the machine was new.
    /// </summary>
    public bool RulAsMultipleOfAge { get; init; } = true;

    /// <summary>
    /// Kernel bandwidth in standard deviations of the state features; 0 (the default) selects it by leave-one-run-out
    /// on the training runs among 0.5, 1, 2, 4 and infinite (the state ignored): the widest within one standard error
    /// of the best.
    /// </summary>
    public double Bandwidth { get; init; }

    /// <summary>Training states start at this fraction of each run's life (the model is asked about the later part of life).</summary>
    public double TrainFromLifeFraction { get; init; } = 0.5;

    /// <summary>Two-sided coverage of the band.</summary>
    public double Coverage { get; init; } = 0.8;
}
