using System.Diagnostics;
using TwinCluster.Analytics.Simulation;

namespace TwinCluster.Analytics.Tests;

/// <summary>
/// The slow-shaft analyzer on a simulated wind-turbine main bearing (spherical roller, 30 rollers of 72 mm on a 760 mm
/// pitch, 9.5°) at rotor speed, fed in blocks as a twin receives them with the block's speed reading.
/// </summary>
public sealed class SlowShaftTests(ITestOutputHelper output)
{
    public static readonly BearingGeometry MainBearing = new(30, 72, 760, 9.5);

    internal static AnalysisResult Run(
        SlowShaftAnalyzer analyzer, double fs, double rpm, SimulatedFault fault, double severity, double seconds, long seed = 11,
        double drift = 0.02, int block = 1024, double resonanceHz = 3000)
    {
        var sim = new BearingVibrationSimulator(new BearingVibrationOptions
        {
            SampleRateHz = fs,
            Bearing = MainBearing,
            ShaftHz = rpm / 60,
            Fault = fault,
            Severity = severity,
            SpeedDrift = drift,
            ResonanceHz = Math.Min(resonanceHz, 0.3 * fs),
            NoiseG = 0.1 * Math.Sqrt(Math.Min(1, fs / 25_600)),
            Seed = seed,
        });
        var x = new float[block];
        var blocks = (int)Math.Ceiling(seconds * fs / block);
        for (var k = 0; k < blocks; k++)
        {
            sim.Fill(x);
            analyzer.Append(x, sim.LastFillMeanShaftHz);
        }

        return analyzer.Analyze();
    }

    private static SlowShaftAnalyzer Analyzer(double fs, double seconds = 60) =>
        new(new SlowShaftAnalyzerOptions { SampleRateHz = fs, RecordSeconds = seconds, Bearing = MainBearing });

    private string Describe(AnalysisResult r)
    {
        var text = $"{r.Diagnosis.Fault} ({r.Diagnosis.Confidence:0.00}) health {r.HealthIndex:0.000} zone {r.Zone} v {r.Indicators.RmsVelocity:0.00} kurt {r.Indicators.Kurtosis:0.0} "
            + $"shaft {r.ShaftHz * 60:0.00} rpm scores " + string.Join(", ", r.Diagnosis.Scores.Select(kv => $"{kv.Key}={kv.Value:0}"))
            + " | " + string.Join("; ", r.Diagnosis.Evidence.Take(4).Select(e => $"{e.Label} {e.FoundHz:0.000} Hz {e.ProminenceDb:+0.0} dB"));
        output.WriteLine(text);
        return text;
    }

    [Theory]
    [InlineData(25_600, 6.0, 3L)]
    [InlineData(25_600, 11.7, 4L)]
    [InlineData(25_600, 15.0, 5L)]
    [InlineData(5_120, 11.7, 6L)]
    public void A_healthy_main_bearing_is_normal_at_any_rotor_speed(double fs, double rpm, long seed)
    {
        var r = Run(Analyzer(fs), fs, rpm, SimulatedFault.None, 0, 60, seed);
        Describe(r);
        Assert.Equal(FaultKind.Normal, r.Diagnosis.Fault);
        Assert.Equal(SeverityZone.A, r.Zone);
        Assert.True(r.HealthIndex > 0.9, $"health {r.HealthIndex}");
        Assert.True(r.Diagnosis.Scores.Values.Max() < 10, "no defect order stands out");
        Assert.Equal(rpm / 60, r.ShaftHz, 0.02 * rpm / 60);
    }

    [Theory]
    [InlineData(25_600, 6.0, 0.15)]     // six revolutions in the record: severity 0.1 scores just over the threshold (15 dB)
    [InlineData(25_600, 11.7, 0.1)]
    [InlineData(25_600, 15.0, 0.1)]
    [InlineData(5_120, 11.7, 0.1)]
    public void An_outer_race_defect_shows_three_BPFO_harmonics(double fs, double rpm, double severity)
    {
        var r = Run(Analyzer(fs), fs, rpm, SimulatedFault.OuterRace, severity, 60);
        Describe(r);
        Assert.Equal(FaultKind.OuterRace, r.Diagnosis.Fault);
        var bpfo = MainBearing.FaultOrders().Bpfo * r.ShaftHz;
        for (var i = 1; i <= 3; i++)
        {
            var line = Assert.Single(r.Diagnosis.Evidence, e => e.Label == $"BPFO x{i}");
            Assert.Equal(SlowShaftAnalyzer.Spectrum, line.Spectrum);
            Assert.Equal(i * bpfo, line.ExpectedHz, 1e-9);
            Assert.True(Math.Abs(line.FoundHz - i * bpfo) <= 0.04 * i * bpfo, $"{line.Label} at {line.FoundHz} Hz, expected {i * bpfo}");
            Assert.True(line.ProminenceDb > 6, $"{line.Label} {line.ProminenceDb} dB");
        }

        Assert.True(r.HealthIndex < 0.95, $"health {r.HealthIndex}");
    }

    [Theory]
    [InlineData(25_600, 6.0, 0.1)]
    [InlineData(25_600, 11.7, 0.1)]
    [InlineData(25_600, 15.0, 0.1)]
    [InlineData(5_120, 11.7, 0.1)]
    public void An_inner_race_defect_shows_BPFI_with_shaft_sidebands(double fs, double rpm, double severity)
    {
        var r = Run(Analyzer(fs), fs, rpm, SimulatedFault.InnerRace, severity, 60);
        Describe(r);
        Assert.Equal(FaultKind.InnerRace, r.Diagnosis.Fault);
        var bpfi = MainBearing.FaultOrders().Bpfi * r.ShaftHz;
        var first = Assert.Single(r.Diagnosis.Evidence, e => e.Label == "BPFI x1");
        Assert.True(Math.Abs(first.FoundHz - bpfi) <= 0.04 * bpfi && first.ProminenceDb > 6, $"BPFI x1 at {first.FoundHz} Hz {first.ProminenceDb} dB");
        Assert.Contains(r.Diagnosis.Evidence, e => e.Label.StartsWith("BPFI x1 ", StringComparison.Ordinal) && e.ProminenceDb > 6);
    }

    [Fact]
    public void Order_tracking_keeps_the_lines_sharp_when_the_speed_drifts_more()
    {
        // ±5 % over a minute (more than the ±3 % the line search tolerates): the speed reading of each block follows it.
        var r = Run(Analyzer(25_600), 25_600, 11.7, SimulatedFault.OuterRace, 0.1, 60, drift: 0.05);
        Describe(r);
        Assert.Equal(FaultKind.OuterRace, r.Diagnosis.Fault);
        Assert.True(r.Diagnosis.Scores[FaultKind.OuterRace] > 20, $"score {r.Diagnosis.Scores[FaultKind.OuterRace]}");
    }

    [Fact]
    public void Health_declines_as_the_defect_grows()
    {
        var health = new List<double>();
        foreach (var severity in new[] { 0.0, 0.05, 0.1, 0.2, 0.4 })
        {
            health.Add(Run(Analyzer(25_600), 25_600, 11.7, SimulatedFault.OuterRace, severity, 60).HealthIndex);
        }

        output.WriteLine(string.Join(", ", health.Select(h => h.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))));
        for (var i = 1; i < health.Count; i++)
        {
            Assert.True(health[i] <= health[i - 1] + 0.01, $"health {health[i - 1]} then {health[i]}");
        }

        Assert.True(health[^1] < 0.8, $"health at severity 0.4: {health[^1]}");
    }

    [Fact]
    public void The_record_is_small_and_restart_forgets_it()
    {
        var analyzer = Analyzer(25_600);
        Assert.Equal(64, analyzer.EnvelopeRateHz);
        Assert.Equal(400, analyzer.Decimation);
        Assert.Equal(3840, analyzer.RecordLength);
        Assert.Equal(9, analyzer.Bands.Length);
        Assert.True(analyzer.RecordBytes < 220 * 1024, $"{analyzer.RecordBytes} bytes");
        Run(analyzer, 25_600, 11.7, SimulatedFault.None, 0, 10);
        Assert.InRange(analyzer.Held, 639, 641);
        Assert.Equal(11.7 / 6, analyzer.Revolutions, 0.05);
        analyzer.Restart();
        Assert.Equal(0, analyzer.Held);
        Assert.Throws<InvalidOperationException>(analyzer.Analyze);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlowShaftAnalyzer(new SlowShaftAnalyzerOptions { SampleRateHz = 500, RecordSeconds = 60 }));
    }
}
