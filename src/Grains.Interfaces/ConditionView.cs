using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// What a monitored component shows a person (the dashboard's condition page): its condition after the latest
/// analysed window, that window's spectra and waveform, the defect frequencies and matched lines, short trends and a
/// waterfall of recent envelope spectra. Kept in memory by the twin's monitor (not persisted: after a restart it fills
/// again as windows are analysed).
/// </summary>
/// <param name="TwinId">The component.</param>
/// <param name="Channel">The vibration channel the condition comes from.</param>
/// <param name="AnalysedAt">Signal time of the end of the latest window.</param>
/// <param name="WindowsAnalysed">Windows analysed since the monitor started.</param>
/// <param name="ShaftHz">Shaft speed of the latest window.</param>
/// <param name="SampleRateHz">Sample rate of the channel.</param>
/// <param name="Health">Smoothed health index (1 healthy, 0 failed).</param>
/// <param name="WarningHealth">Health below which the component is in warning.</param>
/// <param name="AlarmHealth">Health below which it is in alarm.</param>
/// <param name="Alert">Normal, Warning or Alarm.</param>
/// <param name="Fault">The diagnosis, e.g. OuterRace.</param>
/// <param name="Confidence">Its confidence in [0, 1].</param>
/// <param name="Diagnosis">The condition in words, e.g. "outer-race defect (confidence 0.95), BPFO line +14 dB …".</param>
/// <param name="Zone">ISO 10816-21 style severity zone (A–D) of the velocity RMS.</param>
/// <param name="VelocityRms">Velocity RMS, mm/s.</param>
/// <param name="Kurtosis">Kurtosis of the acceleration.</param>
/// <param name="EnvelopeKurtosis">Kurtosis of the squared envelope.</param>
/// <param name="Zones">The zone limits in mm/s: A/B, B/C (warning), C/D (alarm).</param>
/// <param name="Defects">Bearing defect frequencies at the shaft speed, null without a bearing geometry.</param>
/// <param name="Harmonics">Harmonics of each defect frequency examined.</param>
/// <param name="Spectrum">Acceleration amplitude spectrum (g RMS).</param>
/// <param name="Envelope">Envelope spectrum of the diagnosis band (relative units).</param>
/// <param name="EnvelopeBandLowHz">Lower edge of the demodulation band.</param>
/// <param name="EnvelopeBandHighHz">Upper edge.</param>
/// <param name="Waveform">The latest samples of the window, oldest first, at <paramref name="SampleRateHz"/>.</param>
/// <param name="Lines">Lines the diagnosis matched, strongest first.</param>
/// <param name="Trend">Per analysed window, oldest first (a bounded recent span).</param>
/// <param name="Waterfall">Recent envelope spectra, oldest first, each reduced to the same step.</param>
/// <param name="WaterfallStepHz">Frequency step of the waterfall rows.</param>
/// <param name="Rul">Remaining life to the alarm level, null before a trend.</param>
[GenerateSerializer, Immutable, Alias("tc.ConditionView")]
public sealed record ConditionView(
    [property: Id(0)] string TwinId,
    [property: Id(1)] string Channel,
    [property: Id(2)] DateTime AnalysedAt,
    [property: Id(3)] long WindowsAnalysed,
    [property: Id(4)] double ShaftHz,
    [property: Id(5)] double SampleRateHz,
    [property: Id(6)] double Health,
    [property: Id(7)] double WarningHealth,
    [property: Id(8)] double AlarmHealth,
    [property: Id(9)] HealthStatus Alert,
    [property: Id(10)] string Fault,
    [property: Id(11)] double Confidence,
    [property: Id(12)] string Diagnosis,
    [property: Id(13)] string Zone,
    [property: Id(14)] double VelocityRms,
    [property: Id(15)] double Kurtosis,
    [property: Id(16)] double EnvelopeKurtosis,
    [property: Id(17)] ZoneLimits Zones,
    [property: Id(18)] DefectFrequencies? Defects,
    [property: Id(19)] int Harmonics,
    [property: Id(20)] SpectrumTrace Spectrum,
    [property: Id(21)] SpectrumTrace Envelope,
    [property: Id(22)] double EnvelopeBandLowHz,
    [property: Id(23)] double EnvelopeBandHighHz,
    [property: Id(24)] ImmutableArray<float> Waveform,
    [property: Id(25)] ImmutableArray<MatchedLine> Lines,
    [property: Id(26)] ImmutableArray<ConditionTrendPoint> Trend,
    [property: Id(27)] ImmutableArray<WaterfallRow> Waterfall,
    [property: Id(28)] double WaterfallStepHz,
    [property: Id(29)] RemainingLifeView? Rul);

/// <summary>A reduced spectrum: point i is at i × StepHz.</summary>
[GenerateSerializer, Immutable, Alias("tc.SpectrumTrace")]
public sealed record SpectrumTrace([property: Id(0)] double StepHz, [property: Id(1)] ImmutableArray<float> Values);

/// <summary>Severity zone limits, mm/s RMS.</summary>
[GenerateSerializer, Immutable, Alias("tc.ZoneLimits")]
public sealed record ZoneLimits([property: Id(0)] double AB, [property: Id(1)] double BC, [property: Id(2)] double CD);

/// <summary>Bearing defect frequencies in Hz.</summary>
[GenerateSerializer, Immutable, Alias("tc.DefectFrequencies")]
public sealed record DefectFrequencies([property: Id(0)] double Bpfo, [property: Id(1)] double Bpfi, [property: Id(2)] double Bsf, [property: Id(3)] double Ftf);

/// <summary>A spectral line the diagnosis matched: label (e.g. "BPFO x2"), where expected and found, prominence over its floor.</summary>
[GenerateSerializer, Immutable, Alias("tc.MatchedLine")]
public sealed record MatchedLine(
    [property: Id(0)] string Label,
    [property: Id(1)] double ExpectedHz,
    [property: Id(2)] double FoundHz,
    [property: Id(3)] double ProminenceDb,
    [property: Id(4)] string Spectrum);

/// <summary>One analysed window's indicators.</summary>
[GenerateSerializer, Immutable, Alias("tc.ConditionTrendPoint")]
public sealed record ConditionTrendPoint(
    [property: Id(0)] DateTime At,
    [property: Id(1)] double VelocityRms,
    [property: Id(2)] double Kurtosis,
    [property: Id(3)] double Health);

/// <summary>One envelope spectrum of the waterfall.</summary>
[GenerateSerializer, Immutable, Alias("tc.WaterfallRow")]
public sealed record WaterfallRow([property: Id(0)] DateTime At, [property: Id(1)] ImmutableArray<float> Values);

/// <summary>Remaining life to the alarm level with its band, seconds from <paramref name="AsOf"/>.</summary>
[GenerateSerializer, Immutable, Alias("tc.RemainingLifeView")]
public sealed record RemainingLifeView(
    [property: Id(0)] double Seconds,
    [property: Id(1)] double LowerSeconds,
    [property: Id(2)] double UpperSeconds,
    [property: Id(3)] DateTime AsOf);
