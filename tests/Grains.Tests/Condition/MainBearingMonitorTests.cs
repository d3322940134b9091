using System.Diagnostics;
using System.Globalization;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Grains.Condition;

namespace TwinCluster.Grains.Tests.Condition;

/// <summary>
/// A wind-turbine main bearing (the example farm's: spherical roller, 30 rollers of 72 mm on a 760 mm pitch, 9.5°)
/// turning with the rotor at 6–15 rpm, monitored with the default options: the slow-shaft path.
/// </summary>
public sealed class MainBearingMonitorTests(ITestOutputHelper output)
{
    private static readonly BearingGeometry Geometry = new(30, 72, 760, 9.5);

    private static string Properties(double sampleRateHz) => FormattableString.Invariant(
        $$"""{"bearingType":"sphericalRoller","balls":30,"ballDiameterMm":72.0,"pitchDiameterMm":760.0,"contactAngleDeg":9.5,"vibrationSampleRateHz":{{sampleRateHz}}}""");

    private static ConditionFeed Feed(double fs, SimulatedFault fault, double severity, double rpm = 11.7, long seed = 7, DegradationProfile? degradation = null) =>
        new(fs, fault, severity, rpm / 60, Math.Min(3000, 0.3 * fs), seed, Geometry, degradation);

    [Theory]
    [InlineData(25_600, 11.7)]
    [InlineData(25_600, 6.0)]
    [InlineData(5_120, 15.0)]
    public void A_healthy_main_bearing_reads_normal_instead_of_unknown(double fs, double rpm)
    {
        var monitor = new ComponentMonitor(ComponentKind.MainBearing, Properties(fs));
        Feed(fs, SimulatedFault.None, 0, rpm).Capture(monitor, 0, 120);

        var condition = Assert.IsType<ComponentCondition>(monitor.Condition);
        output.WriteLine(condition.Explain());
        Assert.Equal(FaultKind.Normal, condition.Fault);
        Assert.Equal(AlertState.Normal, condition.Alert);
        Assert.InRange(condition.HealthIndex, 0.9, 1);
        Assert.Equal(rpm / 60, condition.ShaftHz, 0.02 * rpm / 60);
        Assert.Equal(3, monitor.WindowsAnalysed);   // 60 s records every 30 s: at 60, 90 and 120 s
        Assert.Equal(0, monitor.WindowsSkipped);
    }

    [Theory]
    [InlineData(25_600, SimulatedFault.OuterRace, FaultKind.OuterRace, "BPFO")]
    [InlineData(25_600, SimulatedFault.InnerRace, FaultKind.InnerRace, "BPFI")]
    [InlineData(5_120, SimulatedFault.OuterRace, FaultKind.OuterRace, "BPFO")]
    public void A_race_defect_is_diagnosed_with_its_lines(double fs, SimulatedFault fault, FaultKind expected, string line)
    {
        var monitor = new ComponentMonitor(ComponentKind.MainBearing, Properties(fs));
        Feed(fs, fault, 0.2).Capture(monitor, 0, 90);

        var condition = Assert.IsType<ComponentCondition>(monitor.Condition);
        output.WriteLine(condition.Explain());
        Assert.Equal(expected, condition.Fault);
        Assert.Equal(3, condition.Harmonics);
        Assert.NotEmpty(condition.Evidence);
        Assert.All(condition.Evidence, e => Assert.StartsWith(line + " x", e.Label, StringComparison.Ordinal));
        var orders = Geometry.FaultOrders();
        var f0 = (expected == FaultKind.OuterRace ? orders.Bpfo : orders.Bpfi) * condition.ShaftHz;
        Assert.All(condition.Evidence.Where(e => !e.Label.Contains(" - ", StringComparison.Ordinal) && !e.Label.Contains(" + ", StringComparison.Ordinal)),
            e => Assert.InRange(e.FrequencyHz / f0 / int.Parse(e.Label[(e.Label.LastIndexOf('x') + 1)..], CultureInfo.InvariantCulture), 0.96, 1.04));
        Assert.StartsWith($"{condition.Alert}: {(expected == FaultKind.OuterRace ? "outer" : "inner")}-race defect", condition.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_growing_outer_race_defect_is_seen_early_and_health_falls_with_it()
    {
        // 5.12 kHz, as main bearings are usually sampled; the defect starts at 60 s and would fail at 900 s.
        var monitor = new ComponentMonitor(ComponentKind.MainBearing, Properties(5_120), new ConditionOptions { HistoryInterval = TimeSpan.FromSeconds(30) });
        var feed = Feed(5_120, SimulatedFault.OuterRace, 0, degradation: new DegradationProfile(60, 900, 0.05));
        var seen = new List<(double Seconds, ComponentCondition Condition)>();
        var transitions = new List<AlertTransition>();
        for (var t = 0; t < 600; t += 30)
        {
            if (feed.Capture(monitor, t, 30, transitions) > 0 || t % 120 == 90)
            {
                seen.Add((t + 30, monitor.Condition!));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t + 30,4} s severity {feed.Severity:0.00}: {monitor.Condition!.Explain()}"));
            }
        }

        var first = seen.First(s => s.Condition.Fault == FaultKind.OuterRace);
        Assert.InRange(first.Seconds, 120, 360);
        Assert.All(seen.Where(s => s.Seconds <= 90), s => Assert.Equal(FaultKind.Normal, s.Condition.Fault));
        var last = monitor.Condition!;
        Assert.Equal(FaultKind.OuterRace, last.Fault);
        Assert.True(last.HealthIndex < seen[0].Condition.HealthIndex - 0.2, $"health {seen[0].Condition.HealthIndex} then {last.HealthIndex}");
        Assert.NotEqual(AlertState.Normal, last.Alert);
        Assert.Contains(transitions, t => t.To == AlertState.Warning);
    }

    [Fact]
    public void A_main_bearing_on_a_fast_shaft_keeps_the_regular_window()
    {
        // A test rig's main bearing (or a model that calls a fast bearing one) at 25 Hz: 1 s windows as before.
        var monitor = new ComponentMonitor(ComponentKind.MainBearing, ConditionFeed.Properties());
        new ConditionFeed(severity: 0.6).Capture(monitor, 0, 4);
        Assert.InRange(monitor.WindowsAnalysed, 6, 8);
        Assert.Equal(FaultKind.OuterRace, monitor.Condition!.Fault);
    }

    [Fact]
    public void The_record_length_comes_from_the_options_and_a_stopped_rotor_is_skipped()
    {
        var monitor = new ComponentMonitor(ComponentKind.MainBearing, Properties(5_120), new ConditionOptions { SlowShaftWindowSeconds = 30, Overlap = 0 });
        Feed(5_120, SimulatedFault.None, 0).Capture(monitor, 0, 91);
        Assert.Equal(3, monitor.WindowsAnalysed);   // 30 s records (5.8 revolutions) back to back
        Assert.Throws<ArgumentException>(() => new ComponentMonitor(ComponentKind.MainBearing, null, new ConditionOptions { SlowShaftWindowSeconds = 0 }));

        // 3 rpm: a 30 s record holds 1.5 revolutions, fewer than the five needed.
        var slow = new ComponentMonitor(ComponentKind.MainBearing, Properties(5_120), new ConditionOptions { SlowShaftWindowSeconds = 30, Overlap = 0 });
        Feed(5_120, SimulatedFault.None, 0, rpm: 3).Capture(slow, 0, 91);
        Assert.Equal(0, slow.WindowsAnalysed);
        Assert.Equal(3, slow.WindowsSkipped);
    }

    [Theory]
    [InlineData(25_600)]
    [InlineData(5_120)]
    public void Cost_of_a_main_bearing(double fs)
    {
        // Printed for the README (memory read while other tests run is not a figure to assert); asserts what was analysed.
        const int components = 4;
        var records = Enumerable.Range(0, components).Select(c => Feed(fs, SimulatedFault.OuterRace, c % 2 == 0 ? 0 : 0.2, seed: c).Records(0, 180)).ToArray();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var monitors = new ComponentMonitor[components];
        var half = records[0].Count / 2;
        for (var c = 0; c < components; c++)
        {
            monitors[c] = new ComponentMonitor(ComponentKind.MainBearing, Properties(fs));
            for (var k = 0; k < half; k++)
            {
                monitors[c].Offer(records[c][k]);
            }
        }

        var retained = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)components;
        var windows = monitors.Sum(m => m.WindowsAnalysed);
        var clock = Stopwatch.StartNew();
        for (var k = half; k < records[0].Count; k++)
        {
            for (var c = 0; c < components; c++)
            {
                monitors[c].Offer(records[c][k]);
            }
        }

        clock.Stop();
        var seconds = components * (records[0].Count - half) * ConditionFeed.BlockSize / fs;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{fs / 1000:0.##} kHz main bearing: {clock.Elapsed.TotalMilliseconds * 1e3 / seconds:0} us per second of signal " +
            $"({monitors.Sum(m => m.WindowsAnalysed) - windows} records analysed), about {retained / 1024:0} KiB held per monitor"));
        Assert.All(monitors, m => Assert.NotNull(m.Condition));
    }
}
