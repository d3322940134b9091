using TwinCluster.Analytics.Prognostics;

namespace TwinCluster.Analytics.Tests;

public sealed class RulTests
{
    [Fact]
    public void Exponential_damage_growth_predicts_the_threshold_crossing()
    {
        // Damage doubles every 1,000 s from 0.05 at t = 0: health 0.25 (damage 0.75) comes at t = 1000 log2(15).
        var rng = new Random(4);
        var t = Enumerable.Range(0, 30).Select(i => i * 100.0).ToArray();
        var h = t.Select(x => 1 - 0.05 * Math.Pow(2, x / 1000) * (1 + 0.02 * Synthetic.Gaussian(rng))).ToArray();
        var r = new RulEstimator().Estimate(t, h);
        var expected = 1000 * Math.Log2(15);
        Assert.Equal("trend", r.Method);
        Assert.Equal(expected, r.ThresholdCrossingTime, expected * 0.05);
        Assert.InRange(r.RulSeconds, r.LowerSeconds, r.UpperSeconds);
        Assert.True(r.LowerSeconds < r.UpperSeconds);
    }

    [Fact]
    public void A_flat_health_series_reports_no_trend_and_the_horizon()
    {
        var t = Enumerable.Range(0, 20).Select(i => i * 60.0).ToArray();
        var h = t.Select((_, i) => 0.95 + 0.01 * (i % 2)).ToArray();
        var r = new RulEstimator(new RulEstimatorOptions { HorizonSeconds = 86_400 }).Estimate(t, h);
        Assert.Equal("no-trend", r.Method);
        Assert.Equal(86_400, r.RulSeconds);
    }

    [Fact]
    public void Health_below_the_alarm_means_no_life_left()
    {
        var r = new RulEstimator().Estimate([0, 60, 120], [0.3, 0.2, 0.1]);
        Assert.Equal(0, r.RulSeconds);
        Assert.Equal("crossed", r.Method);
    }

    [Fact]
    public void Phm_accuracy_punishes_late_predictions_harder()
    {
        Assert.Equal(1, PhmScore.Accuracy(100, 100), 1e-12);
        Assert.Equal(0.5, PhmScore.Accuracy(100, 80), 1e-12);
        Assert.Equal(0.5, PhmScore.Accuracy(100, 105), 1e-12);
        var (constant, score) = PhmScore.BestConstant([100, 100, 100]);
        Assert.Equal(100, constant, 1e-6);
        Assert.Equal(1, score, 1e-9);
    }
}
