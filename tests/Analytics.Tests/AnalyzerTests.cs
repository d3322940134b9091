namespace TwinCluster.Analytics.Tests;

public sealed class AnalyzerTests
{
    private static readonly BearingGeometry Skf6205 = new(9, 0.3126, 1.537, 0);
    private const double Fs = 25_600;
    private const double Shaft = 25;

    private static VibrationAnalyzer Analyzer(double fs = Fs, BearingGeometry? bearing = null) =>
        new(new VibrationAnalyzerOptions { SampleRateHz = fs, Bearing = bearing ?? Skf6205 });

    [Fact]
    public void Outer_race_impacts_are_diagnosed_with_BPFO_evidence()
    {
        var o = Skf6205.FaultOrders();
        var x = Synthetic.Signal(Fs, 2 * 25_600, Shaft, o.Bpfo, impactG: 0.8, noiseG: 0.4);
        var r = Analyzer().Analyze(x, Shaft);
        Assert.Equal(FaultKind.OuterRace, r.Diagnosis.Fault);
        Assert.True(r.Diagnosis.Confidence > 0.5, $"confidence {r.Diagnosis.Confidence}");
        var line = Assert.Single(r.Diagnosis.Evidence, e => e.Label == "BPFO x1");
        Assert.Equal(o.Bpfo * Shaft, line.FoundHz, 2.0);
        // Clear lines but hardly impulsive (kurtosis about 3): an early-stage defect, below healthy but above the alarm.
        Assert.True(r.HealthIndex is > 0.5 and < 0.85, $"health {r.HealthIndex} kurtosis {r.Indicators.Kurtosis} velocity {r.Indicators.RmsVelocity}");
    }

    [Fact]
    public void Inner_race_impacts_modulated_by_the_shaft_are_diagnosed()
    {
        var o = Skf6205.FaultOrders();
        var x = Synthetic.Signal(Fs, 2 * 25_600, Shaft, o.Bpfi, impactG: 0.8, noiseG: 0.4, shaftModulation: 0.8);
        var r = Analyzer().Analyze(x, Shaft);
        Assert.Equal(FaultKind.InnerRace, r.Diagnosis.Fault);
        Assert.Contains(r.Diagnosis.Evidence, e => e.Label.StartsWith("BPFI x1 ", StringComparison.Ordinal) && e.ProminenceDb > 6);
    }

    [Fact]
    public void Ball_impacts_at_twice_spin_with_cage_modulation_are_diagnosed()
    {
        var o = Skf6205.FaultOrders();
        var x = Synthetic.Signal(Fs, 4 * 25_600, Shaft, 2 * o.Bsf, impactG: 0.8, noiseG: 0.3, shaftModulation: 0.8, modulationHz: o.Ftf * Shaft);
        var r = Analyzer().Analyze(x, Shaft);
        Assert.Equal(FaultKind.Ball, r.Diagnosis.Fault);
    }

    [Fact]
    public void Cage_impacts_are_diagnosed()
    {
        var o = Skf6205.FaultOrders();
        var x = Synthetic.Signal(Fs, 4 * 25_600, Shaft, o.Ftf, impactG: 2.0, noiseG: 0.3);
        var r = Analyzer().Analyze(x, Shaft);
        Assert.True(r.Diagnosis.Fault == FaultKind.Cage, string.Join(", ", r.Diagnosis.Scores.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    [Fact]
    public void Noise_and_small_shaft_lines_are_normal()
    {
        var x = Synthetic.Signal(Fs, 2 * 25_600, Shaft, 0, noiseG: 0.05, seed: 3);
        var r = Analyzer().Analyze(x, Shaft);
        Assert.Equal(FaultKind.Normal, r.Diagnosis.Fault);
        Assert.Equal(SeverityZone.A, r.Zone);
        Assert.True(r.HealthIndex > 0.75, $"health {r.HealthIndex}");
    }

    [Theory]
    [InlineData(-0.025)]
    [InlineData(0.025)]
    public void A_speed_reading_a_few_percent_off_still_finds_the_outer_race(double readingError)
    {
        var o = Skf6205.FaultOrders();
        var x = Synthetic.Signal(Fs, 2 * 25_600, Shaft, o.Bpfo, impactG: 0.8, noiseG: 0.4, seed: 5);
        var r = Analyzer().Analyze(x, Shaft * (1 + readingError));
        Assert.Equal(FaultKind.OuterRace, r.Diagnosis.Fault);
    }

    [Fact]
    public void Speed_drift_during_the_capture_is_tolerated()
    {
        var o = Skf6205.FaultOrders();
        var x = Synthetic.Signal(Fs, 2 * 25_600, Shaft, o.Bpfi, impactG: 0.8, noiseG: 0.3, shaftModulation: 0.8, drift: 0.01, seed: 9);
        var r = Analyzer().Analyze(x, Shaft * 1.005);
        Assert.Equal(FaultKind.InnerRace, r.Diagnosis.Fault);
    }

    [Theory]
    [InlineData(12_000)]
    [InlineData(48_000)]
    public void Outer_race_is_found_at_other_sample_rates(double fs)
    {
        var o = Skf6205.FaultOrders();
        var x = Synthetic.Signal(fs, (int)(3 * fs), Shaft, o.Bpfo, impactG: 0.8, noiseG: 0.4, resonanceHz: fs / 5, seed: 11);
        var r = Analyzer(fs).Analyze(x, Shaft);
        Assert.Equal(FaultKind.OuterRace, r.Diagnosis.Fault);
    }

    [Theory]
    [InlineData(FaultKind.OuterRace)]
    [InlineData(FaultKind.InnerRace)]
    public void Fan_end_bearing_geometry_at_12_kHz_is_diagnosed(FaultKind fault)
    {
        var skf6203 = new BearingGeometry(8, 0.2656, 1.122, 0);
        var o = skf6203.FaultOrders();
        const double fs = 12_000, shaft = 29.5;
        var x = fault == FaultKind.OuterRace
            ? Synthetic.Signal(fs, 36_000, shaft, o.Bpfo, impactG: 0.6, noiseG: 0.4, resonanceHz: 3500, seed: 21)
            : Synthetic.Signal(fs, 36_000, shaft, o.Bpfi, impactG: 0.6, noiseG: 0.4, resonanceHz: 3500, shaftModulation: 0.8, seed: 22);
        var r = Analyzer(fs, skf6203).Analyze(x, shaft);
        Assert.Equal(fault, r.Diagnosis.Fault);
    }

    [Fact]
    public void Dominant_once_per_revolution_is_imbalance()
    {
        // 0.1 g at 25 Hz is about 4.4 mm/s RMS: zone C for a generic machine.
        var x = Synthetic.Signal(Fs, 25_600 * 2, Shaft, 0, noiseG: 0.02, oneXG: 0.1, twoXG: 0.005);
        var r = Analyzer().Analyze(x, Shaft);
        Assert.Equal(FaultKind.Imbalance, r.Diagnosis.Fault);
        Assert.True(r.Zone >= SeverityZone.C);
    }

    [Fact]
    public void Strong_twice_per_revolution_is_misalignment()
    {
        var x = Synthetic.Signal(Fs, 25_600 * 2, Shaft, 0, noiseG: 0.02, oneXG: 0.06, twoXG: 0.1);
        var r = Analyzer().Analyze(x, Shaft);
        Assert.Equal(FaultKind.Misalignment, r.Diagnosis.Fault);
    }

    [Fact]
    public void Velocity_rms_of_a_sine_matches_the_closed_form()
    {
        const double f = 100, a = 0.5;
        var x = Enumerable.Range(0, 51_200).Select(i => a * Math.Sin(2 * Math.PI * f * i / Fs)).ToArray();
        var r = Analyzer().Analyze(x, Shaft);
        var expected = a * 9.80665 * 1000 / (2 * Math.PI * f) / Math.Sqrt(2);
        Assert.Equal(expected, r.Indicators.RmsVelocity, expected * 0.02);
        Assert.Equal(a / Math.Sqrt(2), r.Indicators.RmsAcceleration, 1e-3);
        Assert.Equal(1.5, r.Indicators.Kurtosis, 0.01);
        Assert.Equal(Math.Sqrt(2), r.Indicators.CrestFactor, 0.01);
    }

    [Fact]
    public void Float_and_double_inputs_agree()
    {
        var x = Synthetic.Signal(Fs, 20_000, Shaft, 3.5848, seed: 2);
        var analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions { SampleRateHz = Fs, Bearing = Skf6205, WindowSize = 8192 });
        var d = analyzer.Analyze(x, Shaft);
        var f = analyzer.Analyze(x.Select(v => (float)v).ToArray(), Shaft);
        Assert.Equal(d.Diagnosis.Fault, f.Diagnosis.Fault);
        Assert.Equal(d.Indicators.RmsAcceleration, f.Indicators.RmsAcceleration, 1e-5);
    }

    [Fact]
    public void Too_short_a_window_is_refused()
    {
        var analyzer = Analyzer();
        Assert.Throws<ArgumentException>(() => analyzer.Analyze(new double[100], Shaft));
    }

    [Theory]
    [InlineData(25_600, 3, 3.5848, 0.0)]
    [InlineData(25_600, 4, 5.4152, 0.8)]
    [InlineData(48_000, 2, 3.5848, 0.0)]
    [InlineData(12_000, 3, 5.4152, 0.8)]
    public void Tiled_band_envelopes_equal_one_transform_per_band(double fs, int levels, double order, double modulation)
    {
        // Sums of finest-band envelopes stand in for wide bands' transforms: same spectral kurtosis, same scores.
        var x = Synthetic.Signal(fs, (int)(1.3 * fs), Shaft, order, impactG: 0.5, noiseG: 0.4, shaftModulation: modulation, seed: 4);
        var options = new VibrationAnalyzerOptions { SampleRateHz = fs, Bearing = Skf6205, EnvelopeLevels = levels };
        var tiled = new VibrationAnalyzer(options).Analyze(x, Shaft);
        var direct = new VibrationAnalyzer(options) { DirectEnvelopes = true }.Analyze(x, Shaft);
        Assert.Equal(direct.Indicators.EnvelopeKurtosis, tiled.Indicators.EnvelopeKurtosis, 1e-9 * Math.Max(1, direct.Indicators.EnvelopeKurtosis));
        Assert.Equal(direct.Indicators.EnvelopeBand, tiled.Indicators.EnvelopeBand);
        Assert.Equal(direct.Diagnosis.Fault, tiled.Diagnosis.Fault);
        foreach (var (kind, score) in direct.Diagnosis.Scores)
        {
            Assert.Equal(score, tiled.Diagnosis.Scores[kind], 1e-9);
        }
    }

    [Fact]
    public void Moments_in_one_pass_survive_a_large_offset()
    {
        // A 0.01 g sine on a 100 g offset: the shifted one-pass moments must not lose the signal to cancellation.
        var x = Enumerable.Range(0, 51_200).Select(i => 100 + 0.01 * Math.Sin(2 * Math.PI * 100 * i / Fs)).ToArray();
        var r = Analyzer().Analyze(x, Shaft);
        Assert.Equal(0.01 / Math.Sqrt(2), r.Indicators.RmsAcceleration, 1e-7);
        Assert.Equal(1.5, r.Indicators.Kurtosis, 1e-3);
        Assert.Equal(0.01, r.Indicators.PeakAcceleration, 1e-6);
    }
}
