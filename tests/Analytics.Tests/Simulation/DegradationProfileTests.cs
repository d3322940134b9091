using TwinCluster.Analytics.Prognostics;
using TwinCluster.Analytics.Simulation;

namespace TwinCluster.Analytics.Tests.Simulation;

public sealed class DegradationProfileTests(ITestOutputHelper output)
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
    public void A_simulated_run_to_failure_gives_a_health_index_that_declines_with_severity()
    {
        // One 1 s capture of an inner-race defect every 25 s of a 1,000 s life (onset at 200 s): a data logger that
        // wakes up for one capture, so each capture is a fresh simulator started at that time.
        var bearing = new BearingGeometry(9, 0.3126, 1.537, 0);
        var profile = new DegradationProfile(OnsetSeconds: 200, FailureSeconds: 1000, OnsetSeverity: 0.02);
        var analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions { SampleRateHz = 12_800, Bearing = bearing });
        var capture = new float[12_800];
        var times = new List<double>();
        var severity = new List<double>();
        var health = new List<double>();
        var faults = new List<FaultKind>();
        var estimates = new List<RulEstimate>();
        // Time to the alarm (health 0.5) rather than the default C/D-style 0.25.
        var estimator = new RulEstimator(new RulEstimatorOptions { AlarmThreshold = 0.5 });
        for (var t = 0.0; t <= 1000; t += 25)
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
            var r = analyzer.Analyze(capture, sim.LastFillMeanShaftHz);
            times.Add(t);
            severity.Add(profile.SeverityAt(t));
            health.Add(r.HealthIndex);
            faults.Add(r.Diagnosis.Fault);
            estimates.Add(estimator.Estimate(times.ToArray(), health.ToArray()));
        }

        var text = string.Join(" ", health.Select((h, i) => FormattableString.Invariant($"{times[i]}:s{severity[i]:0.00}/h{h:0.00}")));
        output.WriteLine(text);
        var firstDetection = faults.FindIndex(f => f == FaultKind.InnerRace);
        var firstAlarm = health.FindIndex(h => h < 0.5);
        output.WriteLine(FormattableString.Invariant(
            $"first diagnosis at {times[firstDetection]} s (severity {severity[firstDetection]:0.000}, health {health[firstDetection]:0.00}); health below 0.5 from {times[firstAlarm]} s (severity {severity[firstAlarm]:0.00})"));
        foreach (var i in new[] { firstDetection + 4, firstAlarm - 6, firstAlarm - 2 })
        {
            output.WriteLine(FormattableString.Invariant($"at {times[i]} s: {estimates[i].Method}, alarm predicted at {estimates[i].ThresholdCrossingTime:0} s"));
        }

        // Healthy before onset; the first diagnosis is an early defect, not a collapse.
        Assert.True(health.Take(8).All(h => h > 0.9), $"healthy plateau: {text}");
        Assert.InRange(firstDetection, 9, 24);
        Assert.True(health[firstDetection] > 0.75, $"first diagnosis: {text}");

        // Declines with severity: no step larger than 0.2 between captures, hardly ever up, strongly rank-correlated.
        for (var i = 1; i < health.Count; i++)
        {
            Assert.True(health[i] <= health[i - 1] + 0.05, $"health rose at {times[i]}: {text}");
            Assert.True(health[i - 1] - health[i] <= 0.2, $"health stepped down at {times[i]}: {text}");
        }

        // From the first diagnosis on (before it, health is flat up to noise while severity creeps).
        Assert.True(SpearmanRank(severity[firstDetection..], health[firstDetection..]) < -0.95, $"rank correlation: {text}");

        // Readable: alarm (0.5) with a developed defect, 0 at failure.
        Assert.InRange(severity[firstAlarm], 0.2, 0.7);
        Assert.True(health[^1] <= 0.1, $"end of life: {text}");

        // The declining index gives the RUL estimator a trend before the alarm, and the alarm is then crossed.
        Assert.Equal("no-trend", estimates[7].Method);
        Assert.Equal("trend", estimates[firstAlarm - 2].Method);
        Assert.Equal("crossed", estimates[^1].Method);
    }

    private static double SpearmanRank(List<double> a, List<double> b)
    {
        static double[] Ranks(IReadOnlyList<double> v)
        {
            var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
            var ranks = new double[v.Count];
            for (var i = 0; i < order.Length;)
            {
                var j = i;
                while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]])
                {
                    j++;
                }

                for (var k = i; k <= j; k++)
                {
                    ranks[order[k]] = 0.5 * (i + j);
                }

                i = j + 1;
            }

            return ranks;
        }

        var ra = Ranks(a);
        var rb = Ranks(b);
        var ma = ra.Average();
        var mb = rb.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }
}
