using TwinCluster.Analytics.Simulation;

namespace TwinCluster.Analytics.Tests.Simulation;

public sealed class TurbineOperatingSimulatorTests
{
    private static TurbineState[] Run(TurbineOperatingOptions options, int steps, double dt = 10, double severity = 0)
    {
        var sim = new TurbineOperatingSimulator(options);
        return Enumerable.Range(0, steps).Select(_ => sim.Step(dt, severity)).ToArray();
    }

    [Fact]
    public void The_power_curve_is_zero_outside_cut_in_and_cut_out_and_rated_between_rated_and_cut_out()
    {
        var sim = new TurbineOperatingSimulator();
        Assert.Equal(0, sim.PowerCurve(2.9));
        Assert.Equal(0, sim.PowerCurve(25));
        Assert.Equal(3000, sim.PowerCurve(12));
        Assert.Equal(3000, sim.PowerCurve(20));
        Assert.InRange(sim.PowerCurve(8), 800, 1400);
        Assert.True(sim.PowerCurve(7) < sim.PowerCurve(8));
        Assert.Equal(0, sim.RotorSetPoint(1));
        Assert.Equal(6, sim.RotorSetPoint(3));
        Assert.Equal(15, sim.RotorSetPoint(14));
    }

    [Fact]
    public void Channels_stay_physical_and_follow_the_wind()
    {
        var states = Run(new TurbineOperatingOptions { Seed = 4 }, 2000);
        Assert.All(states, s =>
        {
            Assert.InRange(s.PowerKw, 0, 3000);
            Assert.InRange(s.RotorRpm, 0, 15);
            Assert.Equal(s.RotorRpm * 100, s.GeneratorRpm, 1e-9);
            Assert.InRange(s.MainBearingC, 10, 60);
            Assert.InRange(s.GearboxOilC, 10, 70);
        });
        var winds = states.Select(s => s.WindSpeed).ToArray();
        Assert.InRange(winds.Average(), 8, 10);
        Assert.True(winds.Max() - winds.Min() > 3, "the wind does not vary");

        // More wind, more power: correlation of wind and power over the run.
        var powers = states.Select(s => s.PowerKw).ToArray();
        Assert.True(Correlation(winds, powers) > 0.8);
    }

    [Fact]
    public void The_same_seed_repeats_and_another_seed_differs()
    {
        var a = Run(new TurbineOperatingOptions { Seed = 1 }, 100);
        var b = Run(new TurbineOperatingOptions { Seed = 1 }, 100);
        var c = Run(new TurbineOperatingOptions { Seed = 2 }, 100);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_failing_bearing_runs_hotter_than_a_healthy_one_under_the_same_wind()
    {
        var options = new TurbineOperatingOptions { Seed = 9, TemperatureNoiseK = 0 };
        var healthy = Run(options, 720, dt: 10);
        var failing = Run(options, 720, dt: 10, severity: 1);
        Assert.Equal(healthy.Select(s => s.PowerKw), failing.Select(s => s.PowerKw));
        Assert.InRange(failing[^1].MainBearingC - healthy[^1].MainBearingC, 15, 20);
        Assert.True(failing[^1].GearboxOilC > healthy[^1].GearboxOilC);
    }

    [Fact]
    public void Temperatures_rise_with_load()
    {
        var calm = Run(new TurbineOperatingOptions { MeanWindSpeed = 5, WindStdDev = 0.3, TemperatureNoiseK = 0 }, 720);
        var windy = Run(new TurbineOperatingOptions { MeanWindSpeed = 14, WindStdDev = 0.3, TemperatureNoiseK = 0 }, 720);
        Assert.True(windy[^1].MainBearingC > calm[^1].MainBearingC + 15);
        Assert.True(windy[^1].GearboxOilC > calm[^1].GearboxOilC + 25);
    }

    [Fact]
    public void Inconsistent_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new TurbineOperatingSimulator(new TurbineOperatingOptions { RatedWindSpeed = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TurbineOperatingSimulator().Step(0));
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
