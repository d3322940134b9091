using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace TwinCluster.Analytics.Prognostics;

/// <summary>
/// Remaining useful life from a health-index trend: an exponential degradation model D(t) = exp(a + b t) of the
/// damage D = 1 - health, fitted by least squares (MathNet) over the recent window, extrapolated to the alarm
/// threshold, with a prediction band from the fit's residuals and parameter uncertainty.
/// </summary>
public sealed class RulEstimator(RulEstimatorOptions? options = null)
{
    private readonly RulEstimatorOptions _options = options ?? new RulEstimatorOptions();

    /// <summary>The options in use.</summary>
    public RulEstimatorOptions Options => _options;

    /// <summary>Estimates RUL at the last point of a (time in seconds, health in [0, 1]) series.</summary>
    public RulEstimate Estimate(ReadOnlySpan<double> timesSeconds, ReadOnlySpan<double> healthIndex)
    {
        if (timesSeconds.Length != healthIndex.Length || timesSeconds.Length == 0)
        {
            throw new ArgumentException("Times and health values must be non-empty and of equal length.");
        }

        var n = timesSeconds.Length;
        var now = timesSeconds[n - 1];
        var hNow = Math.Clamp(Smoothed(healthIndex), 0, 1);
        var threshold = _options.AlarmThreshold;
        var span = Math.Max(now - timesSeconds[0], 1);
        var horizon = _options.HorizonSeconds ?? 3 * span;
        if (hNow <= threshold)
        {
            return new RulEstimate(0, 0, 0, now, hNow, "crossed", RulStates.Failed);
        }

        var count = Math.Min(n, Math.Max(_options.MinPoints, _options.TrendWindow));
        if (count < _options.MinPoints)
        {
            return NoTrend(now, hNow, horizon);
        }

        var x = new double[count];
        var y = new double[count];
        for (var i = 0; i < count; i++)
        {
            var j = n - count + i;
            x[i] = timesSeconds[j] - now;
            y[i] = Math.Log(Math.Max(1 - Math.Clamp(healthIndex[j], 0, 1), 1e-3));
        }

        var (a, b) = Fit.Line(x, y);
        var mx = x.Average();
        double sxx = 0, sse = 0;
        for (var i = 0; i < count; i++)
        {
            sxx += (x[i] - mx) * (x[i] - mx);
            var r = y[i] - (a + b * x[i]);
            sse += r * r;
        }

        var s = Math.Sqrt(sse / Math.Max(1, count - 2));
        var seB = sxx > 0 ? s / Math.Sqrt(sxx) : double.PositiveInfinity;
        var z = StudentT.InvCDF(0, 1, Math.Max(1, count - 2), 0.5 + _options.Coverage / 2);

        // No significant growth of damage: the trend says nothing about when the threshold comes.
        if (!(b > 0) || b < z * seB)
        {
            return NoTrend(now, hNow, horizon);
        }

        var target = Math.Log(1 - threshold);
        var rul = Math.Clamp((target - a) / b, 0, horizon);

        // Band: the threshold crossing of the upper and lower prediction limits of log-damage.
        double Crossing(double sign)
        {
            var lo = 0.0;
            var hi = horizon;
            for (var it = 0; it < 60; it++)
            {
                var t = 0.5 * (lo + hi);
                var se = s * Math.Sqrt(1 + 1.0 / count + (t - mx) * (t - mx) / Math.Max(sxx, 1e-12));
                var v = a + b * t + sign * z * se;
                if (v >= target)
                {
                    hi = t;
                }
                else
                {
                    lo = t;
                }
            }

            return 0.5 * (lo + hi);
        }

        var lower = Math.Min(rul, Crossing(+1));
        var upper = Math.Max(rul, Crossing(-1));
        return new RulEstimate(rul, lower, upper, now + rul, hNow, "trend");
    }

    private static RulEstimate NoTrend(double now, double health, double horizon) =>
        new(horizon, 0.25 * horizon, horizon, now + horizon, health, "no-trend", RulStates.NoDegradationSeen);

    private static double Smoothed(ReadOnlySpan<double> h)
    {
        var k = Math.Min(3, h.Length);
        double sum = 0;
        for (var i = h.Length - k; i < h.Length; i++)
        {
            sum += h[i];
        }

        return sum / k;
    }
}
