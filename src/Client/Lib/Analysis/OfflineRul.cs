using System.Text.Json;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Prognostics;

namespace TwinCluster.Client.Analysis;

/// <summary>
/// The offline logic behind <c>twin rul DIR --fs HZ --interval SECONDS [--rpm RPM] [--json]</c>: every *.csv in the folder
/// in file-name order is one capture, taken every <c>interval</c> seconds; the same analyzer the grains use gives each
/// capture's RMS, health is that RMS against the series' own baseline (<see cref="BaselineHealth"/>), and the
/// <see cref="RulEstimator"/> extrapolates the health trend to the alarm threshold.
/// </summary>
public static class OfflineRul
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs the estimate. Without <paramref name="rpm"/>, 1,500 rpm is assumed for the shaft lines.</summary>
    public static RulReport Run(string directory, double sampleRateHz, double intervalSeconds, double? rpm = null, string? channel = null, ComponentKind component = ComponentKind.Generic, RulEstimatorOptions? options = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"No folder {directory}.");
        }

        if (!(intervalSeconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(intervalSeconds), intervalSeconds, "--interval must be positive.");
        }

        var files = Directory.GetFiles(directory, "*.csv").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new ArgumentException($"No *.csv captures in {directory}.", nameof(directory));
        }

        var shaftHz = (rpm ?? 1500) / 60;
        VibrationAnalyzer? analyzer = null;
        var times = new double[files.Length];
        var rms = new double[files.Length];
        for (var i = 0; i < files.Length; i++)
        {
            var samples = CaptureCsv.Read(files[i]).Channel(channel);
            analyzer ??= new VibrationAnalyzer(new VibrationAnalyzerOptions
            {
                SampleRateHz = sampleRateHz,
                WindowSize = Math.Min(VibrationAnalyzer.DefaultWindowSize(sampleRateHz), OfflineAnalysis.LargestPowerOfTwo(samples.Length)),
                Component = component,
            });
            times[i] = i * intervalSeconds;
            rms[i] = analyzer.Analyze(samples, shaftHz).Indicators.RmsAcceleration;
        }

        // Trend health against the machine's own early level: absolute zone limits rarely fit a test rig's sensor.
        var baseline = BaselineHealth.Baseline(rms);
        var health = rms.Select(v => BaselineHealth.Relative(v, baseline)).ToArray();

        var estimate = new RulEstimator(options).Estimate(times, health);
        return new RulReport(estimate.RulSeconds, estimate.LowerSeconds, estimate.UpperSeconds, estimate.HealthIndex,
            estimate.ThresholdCrossingTime, files.Length, estimate.Method, health);
    }

    /// <summary>The report as indented JSON.</summary>
    public static string ToJson(RulReport report) => JsonSerializer.Serialize(report, Json);

    /// <summary>A one-line human-readable summary.</summary>
    public static string ToText(RulReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return FormattableString.Invariant(
            $"RUL {report.RulSeconds:0} s (band {report.LowerSeconds:0}–{report.UpperSeconds:0} s), health {report.HealthIndex:0.00}, alarm at {report.ThresholdCrossingSeconds:0} s, {report.Captures} captures, {report.Method}");
    }
}
