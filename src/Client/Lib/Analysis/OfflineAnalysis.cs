using System.Text.Json;
using TwinCluster.Analytics;

namespace TwinCluster.Client.Analysis;

/// <summary>
/// The offline logic behind <c>twin analyze FILE.csv --fs HZ --rpm RPM --bearing N,d,D,ANGLE [--channel C] [--json]</c>:
/// the same <see cref="VibrationAnalyzer"/> the grains run, over a whole capture.
/// </summary>
public static class OfflineAnalysis
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads and analyses one capture; <paramref name="channel"/> is a column name or index (null: the first).</summary>
    public static AnalysisReport Analyze(string path, double sampleRateHz, double rpm, BearingGeometry? bearing, string? channel = null, ComponentKind component = ComponentKind.Generic)
    {
        var capture = CaptureCsv.Read(path);
        var samples = capture.Channel(channel);
        var name = string.IsNullOrEmpty(channel) ? capture.Channels[0] : channel;
        return Analyze(path, name, samples, sampleRateHz, rpm, bearing, component);
    }

    /// <summary>Analyses samples already in memory.</summary>
    public static AnalysisReport Analyze(string file, string channel, double[] samples, double sampleRateHz, double rpm, BearingGeometry? bearing, ComponentKind component = ComponentKind.Generic)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!(rpm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(rpm), rpm, "--rpm must be positive.");
        }

        var window = VibrationAnalyzer.CaptureWindowSize(sampleRateHz, samples.Length);
        if (window < 256)
        {
            throw new ArgumentException($"The capture has {samples.Length} samples; at least 256 are needed.", nameof(samples));
        }

        var analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions
        {
            SampleRateHz = sampleRateHz,
            WindowSize = window,
            Bearing = bearing,
            Component = component,
        });
        var r = analyzer.Analyze(samples, rpm / 60);
        var ind = r.Indicators;
        var indicators = new Dictionary<string, double>
        {
            ["rmsAccelerationG"] = ind.RmsAcceleration,
            ["peakAccelerationG"] = ind.PeakAcceleration,
            ["crestFactor"] = ind.CrestFactor,
            ["kurtosis"] = ind.Kurtosis,
            ["rmsVelocityMmPerS"] = ind.RmsVelocity,
            ["velocity1xMmPerS"] = ind.Velocity1X,
            ["velocity2xMmPerS"] = ind.Velocity2X,
            ["envelopeKurtosis"] = ind.EnvelopeKurtosis,
            ["envelopeBandLowHz"] = ind.EnvelopeBand.LowHz,
            ["envelopeBandHighHz"] = ind.EnvelopeBand.HighHz,
        };
        for (var i = 0; i < ind.BandRms.Length; i++)
        {
            indicators[FormattableString.Invariant($"bandRmsG_{ind.BandEdgesHz[i]:0}_{ind.BandEdgesHz[i + 1]:0}Hz")] = ind.BandRms[i];
        }

        var ff = r.FaultFrequencies;
        var frequencies = ff is null
            ? new Dictionary<string, double>()
            : new Dictionary<string, double> { ["bpfo"] = ff.Bpfo, ["bpfi"] = ff.Bpfi, ["bsf"] = ff.Bsf, ["ftf"] = ff.Ftf };
        return new AnalysisReport(
            file,
            channel,
            Name(r.Diagnosis.Fault),
            r.Diagnosis.Confidence,
            frequencies,
            indicators,
            r.Zone.ToString(),
            r.HealthIndex,
            r.Diagnosis.Evidence.Select(e => new EvidenceLine(e.Label, e.ExpectedHz, e.FoundHz, e.ProminenceDb, e.Spectrum)).ToList(),
            r.Diagnosis.Scores.ToDictionary(kv => Name(kv.Key), kv => kv.Value),
            r.Diagnosis.Band.Width > 0
                ? new Dictionary<string, double> { ["lowHz"] = r.Diagnosis.Band.LowHz, ["highHz"] = r.Diagnosis.Band.HighHz }
                : new Dictionary<string, double>());
    }

    /// <summary>The report as indented JSON.</summary>
    public static string ToJson(AnalysisReport report) => JsonSerializer.Serialize(report, Json);

    /// <summary>A short human-readable summary.</summary>
    public static string ToText(AnalysisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string>
        {
            FormattableString.Invariant($"{report.File} [{report.Channel}]: {report.Diagnosis} (confidence {report.Confidence:0.00}), zone {report.Zone}, health {report.HealthIndex:0.00}"),
        };
        if (report.DemodulationBandHz.TryGetValue("lowHz", out var low) && report.DemodulationBandHz.TryGetValue("highHz", out var high))
        {
            lines.Add(FormattableString.Invariant($"  demodulation band {low:0}–{high:0} Hz"));
        }

        lines.AddRange(report.FaultFrequenciesHz.Select(kv => FormattableString.Invariant($"  {kv.Key.ToUpperInvariant()} {kv.Value:0.00} Hz")));
        lines.AddRange(report.Indicators.Select(kv => FormattableString.Invariant($"  {kv.Key} {kv.Value:0.####}")));
        lines.AddRange(report.Evidence.Take(6).Select(e => FormattableString.Invariant($"  evidence {e.Label}: {e.FoundHz:0.0} Hz (expected {e.ExpectedHz:0.0}) {e.ProminenceDb:0.0} dB")));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The CLI spelling of a condition: normal, inner-race, outer-race, ball, cage, imbalance, misalignment, unknown.</summary>
    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.Normal => "normal",
        FaultKind.InnerRace => "inner-race",
        FaultKind.OuterRace => "outer-race",
        FaultKind.Ball => "ball",
        FaultKind.Cage => "cage",
        FaultKind.Imbalance => "imbalance",
        FaultKind.Misalignment => "misalignment",
        _ => "unknown",
    };

    internal static int LargestPowerOfTwo(int n)
    {
        var p = 1;
        while (p * 2 <= n)
        {
            p *= 2;
        }

        return p;
    }
}
