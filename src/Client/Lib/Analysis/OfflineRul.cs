using System.Text.Json;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Prognostics;

namespace TwinCluster.Client.Analysis;

/// <summary>
/// The offline logic behind <c>twin rul DIR --fs HZ --interval SECONDS [--rpm RPM] [--fleet FLEET_DIR] [--json]</c>: every
/// *.csv in the folder in file-name order is one capture, taken every <c>interval</c> seconds; the same analyzer the
/// grains use gives each capture's RMS, health is that RMS against the series' own baseline (<see cref="BaselineHealth"/>),
/// and the <see cref="RulEstimator"/> extrapolates the health trend to the alarm threshold. With a fleet (a folder whose
/// sub-folders are run-to-failure histories of the same kind of machine, captures laid out the same way), the answer
/// comes from <see cref="FleetPrognosis"/> instead: never more optimistic than those histories, with the state
/// (no-degradation-seen, degrading, failed) it rests on. Without a fleet and without a trend the state is
/// no-degradation-seen and the answer is only the trend estimator's horizon, not a forecast.
/// </summary>
public static class OfflineRul
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs the estimate. Without <paramref name="rpm"/>, 1,500 rpm is assumed for the shaft lines.</summary>
    public static RulReport Run(string directory, double sampleRateHz, double intervalSeconds, double? rpm = null, string? channel = null, ComponentKind component = ComponentKind.Generic, RulEstimatorOptions? options = null, string? fleetDirectory = null)
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

        if (fleetDirectory is not null)
        {
            var runs = Fleet(fleetDirectory, intervalSeconds);
            var history = Features(files, intervalSeconds);
            var fleet = FleetPrognosis.Train(runs).Predict(history);
            return new RulReport(fleet.RulSeconds, fleet.LowerSeconds, fleet.UpperSeconds, fleet.HealthIndex,
                fleet.ThresholdCrossingTime, files.Length, fleet.Method, health, fleet.State, fleet.BandSeconds, runs.Count);
        }

        var estimate = new RulEstimator(options).Estimate(times, health);
        return new RulReport(estimate.RulSeconds, estimate.LowerSeconds, estimate.UpperSeconds, estimate.HealthIndex,
            estimate.ThresholdCrossingTime, files.Length, estimate.Method, health, estimate.State, estimate.BandSeconds, 0);
    }

    // Every sub-folder holding *.csv captures is one run to failure (its last capture at failure).
    private static List<IReadOnlyList<CaptureFeatures>> Fleet(string fleetDirectory, double intervalSeconds)
    {
        if (!Directory.Exists(fleetDirectory))
        {
            throw new DirectoryNotFoundException($"--fleet: no folder {fleetDirectory}.");
        }

        var runs = new List<IReadOnlyList<CaptureFeatures>>();
        foreach (var sub in Directory.GetDirectories(fleetDirectory).Order(StringComparer.Ordinal))
        {
            var files = Directory.GetFiles(sub, "*.csv").Order(StringComparer.Ordinal).ToArray();
            if (files.Length >= 2)
            {
                runs.Add(Features(files, intervalSeconds));
            }
        }

        if (runs.Count < 2)
        {
            throw new ArgumentException($"--fleet: {fleetDirectory} needs at least two sub-folders of CSV captures (run-to-failure histories); found {runs.Count}.", nameof(fleetDirectory));
        }

        return runs;
    }

    // Per capture: RMS, peak and kurtosis of every channel, combined (quadratic-mean RMS, largest peak and kurtosis).
    private static List<CaptureFeatures> Features(string[] files, double intervalSeconds)
    {
        var list = new List<CaptureFeatures>(files.Length);
        for (var i = 0; i < files.Length; i++)
        {
            var capture = CaptureCsv.Read(files[i]);
            var t = i * intervalSeconds;
            list.Add(CaptureFeatures.Combine([.. capture.Samples.Select(s => CaptureFeatures.Compute(t, s))]));
        }

        return list;
    }

    /// <summary>The report as indented JSON.</summary>
    public static string ToJson(RulReport report) => JsonSerializer.Serialize(report, Json);

    /// <summary>A one-line human-readable summary.</summary>
    public static string ToText(RulReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.FleetRuns == 0 && report.Method == "no-trend")
        {
            return FormattableString.Invariant(
                $"No degradation seen in {report.Captures} captures: no forecast from the trend (the band {report.LowerSeconds:0}–{report.UpperSeconds:0} s is only the estimator's horizon, a multiple of the observed span); pass --fleet with run-to-failure histories for what they support, health {report.HealthIndex:0.00}");
        }

        return FormattableString.Invariant(
            $"RUL {report.RulSeconds:0} s (band {report.LowerSeconds:0}–{report.UpperSeconds:0} s, {report.BandSeconds:0} s wide), {report.State}, health {report.HealthIndex:0.00}, alarm at {report.ThresholdCrossingSeconds:0} s, {report.Captures} captures, {report.Method}{(report.FleetRuns > 0 ? $" from {report.FleetRuns} run-to-failure histories" : "")}");
    }
}
