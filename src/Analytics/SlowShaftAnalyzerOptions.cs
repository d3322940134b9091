namespace TwinCluster.Analytics;

/// <summary>Configuration of a <see cref="SlowShaftAnalyzer"/> (one per slow-shaft channel, e.g. a main bearing).</summary>
public sealed record SlowShaftAnalyzerOptions
{
    /// <summary>Sample rate of the incoming vibration, Hz (at least 16 times <see cref="EnvelopeRateHz"/>).</summary>
    public required double SampleRateHz { get; init; }

    /// <summary>Length of the record analysed, seconds of signal (a main bearing at 6–15 rpm: 60 s holds 6–15 revolutions).</summary>
    public required double RecordSeconds { get; init; }

    /// <summary>Bearing monitored; null skips bearing diagnosis.</summary>
    public BearingGeometry? Bearing { get; init; }

    /// <summary>Component kind, which picks default severity zones.</summary>
    public ComponentKind Component { get; init; } = ComponentKind.MainBearing;

    /// <summary>Severity zones; null uses <see cref="SeverityZones.For(ComponentKind)"/>.</summary>
    public SeverityZones? Zones { get; init; }

    /// <summary>
    /// Rate of the demodulated (squared-envelope) record, Hz (default 64): the envelope is low-pass filtered at 0.3 of it,
    /// so defect harmonics up to about 19 Hz are seen (three BPFI harmonics with sidebands up to about 20 rpm).
    /// </summary>
    public double EnvelopeRateHz { get; init; } = 64;

    /// <summary>Centre of the lowest demodulation band, Hz (default 500; bands are an octave wide, half an octave apart, up to 0.4 fs).</summary>
    public double LowestBandHz { get; init; } = 500;

    /// <summary>Relative error allowed on the defect orders (slip, geometry) when looking for lines (0.03 = ±3 %).</summary>
    public double SpeedTolerance { get; init; } = 0.03;

    /// <summary>Harmonics of each defect order examined.</summary>
    public int Harmonics { get; init; } = 3;

    /// <summary>Metres per second squared per input unit (9.80665 for samples in g).</summary>
    public double UnitToMetresPerSecondSquared { get; init; } = 9.80665;

    /// <summary>Bearing-fault score (dB, harmonic sum) above which a defect is reported.</summary>
    public double FaultScoreThreshold { get; init; } = 14;
}
