namespace TwinCluster.Analytics;

/// <summary>
/// Configuration of a <see cref="SlowShaftAnalyzer"/> (one per slow-shaft channel, e.g. a main bearing); the shared
/// settings are in <see cref="ConditionAnalyzerOptions"/> (the sample rate must be at least 16 times
/// <see cref="EnvelopeRateHz"/>; the speed tolerance applies to the defect orders).
/// </summary>
public sealed record SlowShaftAnalyzerOptions : ConditionAnalyzerOptions
{
    /// <summary>Length of the record analysed, seconds of signal (a main bearing at 6–15 rpm: 60 s holds 6–15 revolutions).</summary>
    public required double RecordSeconds { get; init; }

    /// <summary>Component kind, which picks default severity zones.</summary>
    public ComponentKind Component { get; init; } = ComponentKind.MainBearing;

    /// <summary>
    /// Rate of the demodulated (squared-envelope) record, Hz (default 64): the envelope is low-pass filtered at 0.3 of it,
    /// so defect harmonics up to about 19 Hz are seen (three BPFI harmonics with sidebands up to about 20 rpm).
    /// </summary>
    public double EnvelopeRateHz { get; init; } = 64;

    /// <summary>Centre of the lowest demodulation band, Hz (default 500; bands are an octave wide, half an octave apart, up to 0.4 fs).</summary>
    public double LowestBandHz { get; init; } = 500;
}
