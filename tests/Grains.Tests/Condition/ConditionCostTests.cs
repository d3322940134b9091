using System.Diagnostics;
using System.Globalization;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Tests.Condition;

/// <summary>
/// The CPU a monitor needs per second of live vibration, printed for the record (tests/Benchmarks cannot reference
/// TwinCluster.Grains, so the whole monitor is measured here). Asserts only what is analysed, never a time.
/// </summary>
public sealed class ConditionCostTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1_000, 10.0, 300.0, 40, 60)]
    [InlineData(25_600, 25.0, 3000.0, 4, 20)]
    public void Cost_per_second_of_vibration_per_component(double sampleRateHz, double shaftHz, double resonanceHz, int components, int seconds)
    {
        var blockSeconds = ConditionFeed.BlockSize / sampleRateHz;
        var perComponent = (int)Math.Ceiling(seconds / blockSeconds);
        var monitors = new ComponentMonitor[components];
        var records = new TelemetryRecord[components][];
        for (var c = 0; c < components; c++)
        {
            var feed = new ConditionFeed(sampleRateHz, SimulatedFault.OuterRace, severity: c % 2 == 0 ? 0 : 0.3, shaftHz, resonanceHz, seed: c);
            records[c] = [.. feed.Records(0, 2 * seconds)];
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var c = 0; c < components; c++)
        {
            monitors[c] = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties(sampleRateHz));

            // Warm-up: analyzers and buffers are built on the first windows.
            for (var k = 0; k < perComponent; k++)
            {
                monitors[c].Offer(records[c][k]);
            }
        }

        var retained = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)components;
        var windowsBefore = monitors.Sum(m => m.WindowsAnalysed);
        var gen0 = GC.CollectionCount(0);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var k = perComponent; k < 2 * perComponent; k++)
        {
            // Interleaved as a silo would see them: one block of every component, then the next.
            for (var c = 0; c < components; c++)
            {
                monitors[c].Offer(records[c][k]);
            }
        }

        clock.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var windows = monitors.Sum(m => m.WindowsAnalysed) - windowsBefore;
        var signalSeconds = components * perComponent * blockSeconds;
        var perSecond = clock.Elapsed.TotalSeconds / signalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sampleRateHz / 1000:0.#} kHz, {components} components x {perComponent * blockSeconds:0} s: {clock.Elapsed.TotalMilliseconds:0} ms wall " +
            $"({cpuUsed.TotalMilliseconds:0} ms process CPU), {windows} windows ({clock.Elapsed.TotalMilliseconds * 1000 / windows:0} us each), " +
            $"{perSecond * 1e6:0} us per second of signal per component -> {perSecond * 1000:0.000} cores for 1,000 components; " +
            $"{GC.CollectionCount(0) - gen0} gen0 GCs; about {retained / 1024:0} KiB held per monitor"));

        // What was measured is real work: every component analysed a window every half window, and the faulty ones were seen.
        var hop = Math.Max(Math.Round(sampleRateHz), VibrationAnalyzer.DefaultWindowSize(sampleRateHz)) / 2;
        Assert.InRange(windows, components * (perComponent * ConditionFeed.BlockSize / hop - 1), components * (perComponent * ConditionFeed.BlockSize / hop + 1));
        Assert.All(monitors.Where((_, c) => c % 2 == 0), m => Assert.Equal(AlertState.Normal, m.Alert));
        Assert.All(monitors, m => Assert.NotNull(m.Condition));
    }
}
