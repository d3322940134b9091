using TwinCluster.Analytics.Prognostics;
using TwinCluster.Analytics.Simulation;

namespace TwinCluster.Analytics.Tests.Simulation;

public sealed class DegradationProfileTests
{
    [Fact]
    public void Severity_is_flat_until_onset_then_grows_exponentially_to_one_at_failure()
    {
        var p = new DegradationProfile(OnsetSeconds: 100, FailureSeconds: 300, OnsetSeverity: 0.05, HealthySeverity: 0.01);
        Assert.Equal(0.01, p.SeverityAt(0));
        Assert.Equal(0.01, p.SeverityAt(99.9));
        Assert.Equal(0.05, p.SeverityAt(100), 1e-12);
        Assert.Equal(1.0, p.SeverityAt(300), 1e-12);
        Assert.Equal(1.0, p.SeverityAt(1e9));

        // Exponential: equal time steps multiply severity by the same factor.
        Assert.Equal(p.SeverityAt(200) / p.SeverityAt(150), p.SeverityAt(250) / p.SeverityAt(200), 1e-9);
        Assert.Equal(Math.Sqrt(0.05), p.SeverityAt(200), 1e-12);
        var previous = 0.0;
        for (var t = 0.0; t <= 400; t += 5)
        {
            var s = p.SeverityAt(t);
            Assert.True(s >= previous, $"severity fell at {t}");
            previous = s;
        }
    }

    [Fact]
    public void A_healthy_profile_never_degrades()
    {
        Assert.Equal(0, DegradationProfile.Healthy.SeverityAt(1e12));
        DegradationProfile.Healthy.Validate();
    }

    [Fact]
    public void Inconsistent_profiles_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new DegradationProfile(300, 100).Validate());
        Assert.Throws<ArgumentException>(() => new DegradationProfile(100, 300, OnsetSeverity: 0).Validate());
        Assert.Throws<ArgumentException>(() => new DegradationProfile(100, 300, OnsetSeverity: 0.05, HealthySeverity: 0.2).Validate());
    }

    [Fact]
    public void A_simulated_run_to_failure_gives_the_rul_estimator_a_trend_and_then_a_crossing()
    {
        // One 1 s capture of an inner-race defect every 50 s of a 1,000 s life (onset at 200 s): a data logger that
        // wakes up for one capture, so each capture is a fresh simulator started at that time.
        var bearing = new BearingGeometry(9, 0.3126, 1.537, 0);
        var profile = new DegradationProfile(OnsetSeconds: 200, FailureSeconds: 1000, OnsetSeverity: 0.02);
        var analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions { SampleRateHz = 12_800, Bearing = bearing });
        var capture = new float[12_800];
        var times = new List<double>();
        var health = new List<double>();
        var methods = new List<string>();
        var estimator = new RulEstimator();
        for (var t = 0.0; t <= 1000; t += 50)
        {
            var sim = new BearingVibrationSimulator(new BearingVibrationOptions
            {
                SampleRateHz = 12_800,
                Bearing = bearing,
                ShaftHz = 25,
                Fault = SimulatedFault.InnerRace,
                Degradation = profile,
                StartTimeSeconds = t,
                Seed = (long)t,
            });
            sim.Fill(capture);
            times.Add(t);
            health.Add(analyzer.Analyze(capture, sim.LastFillMeanShaftHz).HealthIndex);
            methods.Add(estimator.Estimate(times.ToArray(), health.ToArray()).Method);
        }

        var text = string.Join(" ", health.Select((h, i) => $"{times[i]}:{h.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}/{methods[i]}"));
        Assert.True(health.Take(4).All(h => h > 0.75), $"healthy plateau: {text}");
        Assert.True(health.Skip(12).All(h => h < 0.45), $"a diagnosed defect: {text}");
        Assert.True(health[^1] <= 0.25, $"end of life: {text}");
        Assert.Equal("no-trend", methods[3]);
        Assert.Contains("trend", methods.Take(15));
        Assert.Equal("crossed", methods[^1]);
    }
}
