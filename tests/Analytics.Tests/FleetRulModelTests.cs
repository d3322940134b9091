using TwinCluster.Analytics.Prognostics;

namespace TwinCluster.Analytics.Tests;

public sealed class FleetRulModelTests
{
    // One capture a minute until failure; RMS from the life fraction, peak 3 × RMS, Gaussian kurtosis, small noise.
    private static List<CaptureFeatures> Run(double lifeSeconds, Func<double, double> rmsOfFraction, Random rng)
    {
        var n = (int)(lifeSeconds / 60) + 1;
        var run = new List<CaptureFeatures>(n);
        for (var i = 0; i < n; i++)
        {
            var rms = rmsOfFraction(i / (double)(n - 1)) * (1 + 0.03 * Synthetic.Gaussian(rng));
            run.Add(new CaptureFeatures(i * 60.0, rms, 3 * rms, 3 + 0.1 * Synthetic.Gaussian(rng)));
        }

        return run;
    }

    [Fact]
    public void Without_state_the_remaining_life_is_a_learned_multiple_of_the_age()
    {
        var rng = new Random(3);
        var runs = new[] { 3000.0, 5000, 8000, 12000, 20000 }.Select(life => (IReadOnlyList<CaptureFeatures>)Run(life, _ => 1, rng)).ToList();
        var model = FleetRulModel.Train(runs, new FleetRulModelOptions { UseVibration = false });
        var unseen = Run(30000, _ => 1, rng);
        var early = model.Predict(unseen.Take(51).ToList());
        var late = model.Predict(unseen.Take(101).ToList());
        Assert.True(double.IsPositiveInfinity(model.Bandwidth));
        Assert.Equal(2, late.RulSeconds / early.RulSeconds, 0.05);
        Assert.InRange(early.RulSeconds, 0.01 * 3000, 3000);
    }

    [Fact]
    public void An_informative_state_gets_a_finite_bandwidth_and_a_close_answer()
    {
        // RMS rises tenfold over the last fifth of life in every run, whatever its length.
        static double Rise(double f) => f < 0.8 ? 1 : Math.Exp(Math.Log(10) * (f - 0.8) / 0.2);
        var rng = new Random(5);
        var runs = new[] { 4000.0, 6000, 9000, 14000, 20000 }.Select(life => (IReadOnlyList<CaptureFeatures>)Run(life, Rise, rng)).ToList();
        var model = FleetRulModel.Train(runs);
        var unseen = Run(11000, Rise, rng);
        var cut = (int)(0.95 * (unseen.Count - 1));
        var actual = unseen[^1].TimeSeconds - unseen[cut].TimeSeconds;
        var estimate = model.Predict(unseen.Take(cut + 1).ToList());
        Assert.False(double.IsPositiveInfinity(model.Bandwidth));
        Assert.True(PhmScore.Accuracy(actual, estimate.RulSeconds) > 0.5, $"actual {actual} s, predicted {estimate.RulSeconds:0} s");
        Assert.InRange(estimate.RulSeconds, estimate.LowerSeconds, estimate.UpperSeconds);
    }
}
