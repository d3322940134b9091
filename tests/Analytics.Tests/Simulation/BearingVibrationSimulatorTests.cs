using TwinCluster.Analytics.Simulation;

namespace TwinCluster.Analytics.Tests.Simulation;

public sealed class BearingVibrationSimulatorTests
{
    private static readonly BearingGeometry Skf6205 = new(9, 0.3126, 1.537, 0);

    private static BearingVibrationOptions Options(double fs, SimulatedFault fault, double severity, long seed = 7) => new()
    {
        SampleRateHz = fs,
        Bearing = Skf6205,
        ShaftHz = 25,
        Fault = fault,
        Severity = severity,
        Seed = seed,
    };

    private static AnalysisResult Analyze(BearingVibrationOptions options, double seconds = 2, double? speedReading = null)
    {
        var sim = new BearingVibrationSimulator(options);
        var x = new float[(int)(seconds * options.SampleRateHz)];
        sim.Fill(x);
        var analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions { SampleRateHz = options.SampleRateHz, Bearing = options.Bearing });
        return analyzer.Analyze(x, speedReading ?? sim.LastFillMeanShaftHz);
    }

    private static string Describe(AnalysisResult r) =>
        $"{r.Diagnosis.Fault} health {r.HealthIndex:F3} kurtosis {r.Indicators.Kurtosis:F1} scores "
        + string.Join(", ", r.Diagnosis.Scores.Select(kv => $"{kv.Key}={kv.Value:F0}"));

    [Theory]
    [InlineData(12_800, SimulatedFault.OuterRace, FaultKind.OuterRace)]
    [InlineData(12_800, SimulatedFault.InnerRace, FaultKind.InnerRace)]
    [InlineData(25_600, SimulatedFault.OuterRace, FaultKind.OuterRace)]
    [InlineData(25_600, SimulatedFault.InnerRace, FaultKind.InnerRace)]
    [InlineData(25_600, SimulatedFault.Ball, FaultKind.Ball)]
    [InlineData(25_600, SimulatedFault.Cage, FaultKind.Cage)]
    public void The_analyzer_diagnoses_the_simulated_fault(double fs, SimulatedFault fault, FaultKind expected)
    {
        // Cage impacts are few (under 10 per second), so they need a developed defect to stand out.
        var severity = fault == SimulatedFault.Cage ? 1.0 : 0.5;
        var r = Analyze(Options(fs, fault, severity));
        Assert.True(r.Diagnosis.Fault == expected, Describe(r));
        // A developed defect is near the alarm (0.5) of the health index.
        Assert.True(r.HealthIndex < 0.6, Describe(r));
    }

    [Theory]
    [InlineData(12_800, SimulatedFault.OuterRace)]
    [InlineData(25_600, SimulatedFault.InnerRace)]
    [InlineData(25_600, SimulatedFault.None)]
    public void Severity_zero_is_normal(double fs, SimulatedFault fault)
    {
        var r = Analyze(Options(fs, fault, 0));
        Assert.True(r.Diagnosis.Fault == FaultKind.Normal, Describe(r));
        Assert.Equal(SeverityZone.A, r.Zone);
        Assert.True(r.HealthIndex > 0.75, Describe(r));
    }

    [Theory]
    [InlineData(SimulatedFault.OuterRace)]
    [InlineData(SimulatedFault.InnerRace)]
    public void Rising_severity_lowers_the_health_index(SimulatedFault fault)
    {
        double[] severities = [0, 0.1, 0.2, 0.5, 1.0];
        var health = severities.Select(s => Analyze(Options(12_800, fault, s), seconds: 1.5).HealthIndex).ToArray();
        var text = string.Join(" ", health.Select(h => h.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
        for (var i = 1; i < health.Length; i++)
        {
            Assert.True(health[i] <= health[i - 1] + 0.02, $"health not decreasing: {text}");
        }

        Assert.True(health[0] - health[^1] > 0.35, $"health hardly moved: {text}");
    }

    [Theory]
    [InlineData(SimulatedFault.OuterRace, FaultKind.OuterRace)]
    [InlineData(SimulatedFault.InnerRace, FaultKind.InnerRace)]
    public void Speed_drift_of_a_few_percent_is_tolerated_with_only_the_nominal_speed_known(SimulatedFault fault, FaultKind expected)
    {
        // ±2.5 % drift over a 20 s cycle; the analyzer is told only the nominal 25 Hz, not the drifting speed.
        var options = Options(25_600, fault, 0.5, seed: 3) with { SpeedDrift = 0.025, SpeedDriftPeriodSeconds = 20 };
        var sim = new BearingVibrationSimulator(options);
        var x = new float[2 * 25_600];
        var speeds = new List<double>();
        var analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions { SampleRateHz = 25_600, Bearing = Skf6205 });
        var found = new List<FaultKind>();
        for (var capture = 0; capture < 4; capture++)
        {
            sim.Fill(x);
            speeds.Add(sim.LastFillMeanShaftHz);
            found.Add(analyzer.Analyze(x, 25).Diagnosis.Fault);

            // Skip ahead so the captures see different parts of the drift cycle.
            for (var skip = 0; skip < 2; skip++)
            {
                sim.Fill(x);
            }
        }

        Assert.True(speeds.Max() - speeds.Min() > 0.01 * 25, $"the speed did not drift: {string.Join(", ", speeds)}");
        Assert.All(speeds, s => Assert.InRange(s, 25 * 0.975, 25 * 1.025));
        Assert.All(found, f => Assert.Equal(expected, f));
    }

    [Fact]
    public void The_same_seed_gives_identical_samples_and_another_seed_different_ones()
    {
        var options = Options(12_800, SimulatedFault.InnerRace, 0.4);
        var a = new float[4096];
        var b = new float[4096];
        var c = new float[4096];
        new BearingVibrationSimulator(options).Fill(a);
        new BearingVibrationSimulator(options).Fill(b);
        new BearingVibrationSimulator(options with { Seed = 8 }).Fill(c);
        Assert.Equal(a, b);
        Assert.True(a.Zip(c).Count(p => p.First != p.Second) > 4000);
    }

    [Fact]
    public void Block_wise_generation_equals_one_shot_generation()
    {
        var options = Options(25_600, SimulatedFault.Ball, 0.3) with
        {
            SpeedDrift = 0.03,
            SpeedDriftPeriodSeconds = 2,
            Degradation = new DegradationProfile(0.2, 1.5),
        };
        var whole = new double[30_000];
        new BearingVibrationSimulator(options).Fill(whole);

        var sim = new BearingVibrationSimulator(options);
        var pieces = new double[whole.Length];
        var offset = 0;
        var sizes = new[] { 1, 1023, 1024, 7, 4096, 333 };
        for (var i = 0; offset < pieces.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], pieces.Length - offset);
            sim.Fill(pieces.AsSpan(offset, n));
            offset += n;
        }

        Assert.Equal(whole, pieces);
        Assert.Equal(whole.Length, sim.SamplesGenerated);
    }

    [Fact]
    public void Float_blocks_are_the_double_samples_rounded()
    {
        var options = Options(12_800, SimulatedFault.OuterRace, 0.5);
        var d = new double[5000];
        var f = new float[5000];
        new BearingVibrationSimulator(options).Fill(d);
        new BearingVibrationSimulator(options).Fill(f);
        Assert.Equal(d.Select(v => (float)v), f);
    }

    [Fact]
    public void The_reported_shaft_speed_agrees_with_the_waveform()
    {
        // Only a 1x line: count its rising zero crossings and compare with the speed the simulator reports.
        var options = Options(12_800, SimulatedFault.None, 0) with
        {
            NoiseG = 0,
            TwoXVelocityMmPerS = 0,
            ShaftHz = 20,
            SpeedDrift = 0.04,
            SpeedDriftPeriodSeconds = 30,
        };
        var sim = new BearingVibrationSimulator(options);
        var x = new float[10 * 12_800];
        sim.Fill(x);
        var crossings = 0;
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i - 1] < 0 && x[i] >= 0)
            {
                crossings++;
            }
        }

        var revolutions = sim.LastFillMeanShaftHz * 10;
        Assert.InRange(crossings, revolutions - 1.5, revolutions + 1.5);
        Assert.NotEqual(20, sim.LastFillMeanShaftHz, 0.05);
        Assert.InRange(sim.ShaftHz, 20 * 0.96, 20 * 1.04);
    }

    [Fact]
    public void A_new_nominal_speed_is_followed_without_a_phase_jump()
    {
        var options = Options(12_800, SimulatedFault.None, 0) with { NoiseG = 0, TwoXVelocityMmPerS = 0, SpeedDrift = 0 };
        var sim = new BearingVibrationSimulator(options);
        var a = new double[1000];
        var b = new double[1000];
        sim.Fill(a);
        sim.NominalShaftHz = 26;
        sim.Fill(b);
        Assert.Equal(26, sim.ShaftHz, 1e-9);

        // The 1x amplitude changes with speed (constant velocity), but a continuous phase keeps the step tiny.
        var maxStep = a.Zip(a.Skip(1)).Max(p => Math.Abs(p.Second - p.First));
        Assert.True(Math.Abs(b[0] - a[^1]) < 1.2 * maxStep, $"jump {b[0] - a[^1]} vs largest step {maxStep}");
    }

    [Fact]
    public void Severity_can_change_between_blocks()
    {
        var sim = new BearingVibrationSimulator(Options(12_800, SimulatedFault.OuterRace, 0) with { NoiseG = 0.01 });
        var quiet = new float[12_800];
        var loud = new float[12_800];
        sim.Fill(quiet);
        sim.Severity = 1;
        sim.Fill(loud);
        Assert.True(loud.Max(Math.Abs) > 10 * quiet.Max(Math.Abs));
        Assert.InRange(loud.Max(Math.Abs), 1.0, 6.0);
    }

    [Fact]
    public void Fill_allocates_nothing()
    {
        var sim = new BearingVibrationSimulator(Options(25_600, SimulatedFault.InnerRace, 0.5) with { Degradation = new DegradationProfile(0, 10) });
        var block = new float[1024];
        sim.Fill(block);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            sim.Fill(block);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Out_of_range_options_are_refused_with_their_name()
    {
        var e = Assert.Throws<ArgumentException>(() => new BearingVibrationSimulator(Options(12_800, SimulatedFault.OuterRace, 0.5) with { ResonanceHz = 7000 }));
        Assert.Contains(nameof(BearingVibrationOptions.ResonanceHz), e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BearingVibrationSimulator(Options(12_800, SimulatedFault.OuterRace, 1.5)));
        var withProfile = new BearingVibrationSimulator(Options(12_800, SimulatedFault.OuterRace, 0) with { Degradation = new DegradationProfile(1, 2) });
        Assert.Throws<InvalidOperationException>(() => withProfile.Severity = 0.5);
    }
}
