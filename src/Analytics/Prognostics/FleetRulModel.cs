namespace TwinCluster.Analytics.Prognostics;

/// <summary>
/// RUL learned from other machines' run-to-failure histories by state similarity: the degradation state now
/// (RMS growth over the machine's own healthy baseline, recent peak relative to the failure level; optionally RMS slope, kurtosis, age) is compared
/// with every state of every training run from the second half of its life on, and the prediction is the value
/// that maximises the PHM 2012 accuracy over the true remaining lives of the training states, weighted by a Gaussian
/// kernel of their distance (late predictions cost more than early ones, so uncertain states get cautious answers).
/// The band is the weighted 10–90 % range of those remaining lives.
/// </summary>
public sealed class FleetRulModel
{
    private const double Offset = 60;
    private readonly FleetRulModelOptions _options;
    private readonly List<(int Run, double[] X, double Actual)> _rows;
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly int _runs;

    private FleetRulModel(FleetRulModelOptions options, List<(int Run, double[] X, double Actual)> rows, double[] mean, double[] scale, int runs)
    {
        _options = options;
        _rows = rows;
        _mean = mean;
        _scale = scale;
        _runs = runs;
    }

    /// <summary>Learns from complete run-to-failure histories (each ends at failure).</summary>
    public static FleetRulModel Train(IReadOnlyList<IReadOnlyList<CaptureFeatures>> runs, FleetRulModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        options ??= new FleetRulModelOptions();
        var rows = new List<(int Run, double[] X, double Actual)>();
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var end = run[^1].TimeSeconds;
            for (var i = (int)(options.TrainFromLifeFraction * (run.Count - 1)); i < run.Count - 1; i++)
            {
                rows.Add((r, Features(run, i, options), end - run[i].TimeSeconds));
            }
        }

        if (rows.Count < 5)
        {
            throw new ArgumentException("Too little training data.", nameof(runs));
        }

        // Standardise so that each feature counts alike in the distance; every run weighs the same.
        var p = rows[0].X.Length;
        var mean = new double[p];
        var scale = new double[p];
        for (var j = 0; j < p; j++)
        {
            mean[j] = rows.Average(x => x.X[j]);
            var v = rows.Average(x => (x.X[j] - mean[j]) * (x.X[j] - mean[j]));
            scale[j] = v > 1e-12 ? Math.Sqrt(v) : 1;
        }

        return new FleetRulModel(options, rows, mean, scale, runs.Count);
    }

    /// <summary>Predicts RUL at the last capture of an observed history.</summary>
    public RulEstimate Predict(IReadOnlyList<CaptureFeatures> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("Empty history.", nameof(history));
        }

        var last = history.Count - 1;
        var x = Features(history, last, _options);

        // Gaussian kernel on the standardised state; each training run's weights sum to one so every run counts alike.
        var weights = new double[_rows.Count];
        var perRun = new double[_runs];
        var bandwidth2 = 2 * _options.Bandwidth * _options.Bandwidth;
        for (var i = 0; i < _rows.Count; i++)
        {
            weights[i] = Math.Exp(-Distance(x, _rows[i].X) / bandwidth2) + 1e-12;
            perRun[_rows[i].Run] += weights[i];
        }

        for (var i = 0; i < _rows.Count; i++)
        {
            weights[i] /= perRun[_rows[i].Run];
        }

        // The answer maximising the expected PHM accuracy under those weights.
        var best = 0.0;
        var bestScore = double.NegativeInfinity;
        var max = _rows.Max(r => r.Actual) * 1.5;
        for (var c = 0; c <= 300; c++)
        {
            var candidate = max * Math.Pow(10, -3 + 3.0 * c / 300);
            double score = 0;
            for (var i = 0; i < _rows.Count; i++)
            {
                score += weights[i] * PhmScore.Accuracy(_rows[i].Actual, candidate);
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        var order = Enumerable.Range(0, _rows.Count).OrderBy(i => _rows[i].Actual).ToArray();
        var total = weights.Sum();
        double cumulative = 0, lower = 0, upper = 0;
        var lowQ = (0.5 - _options.Coverage / 2) * total;
        var highQ = (0.5 + _options.Coverage / 2) * total;
        foreach (var i in order)
        {
            var before = cumulative;
            cumulative += weights[i];
            if (before < lowQ && cumulative >= lowQ)
            {
                lower = _rows[i].Actual;
            }

            if (before < highQ && cumulative >= highQ)
            {
                upper = _rows[i].Actual;
            }
        }

        lower = Math.Min(lower, best);
        upper = Math.Max(upper, best);

        // Health: how far the peak has climbed, on a log scale, from the first capture's level to the failure level.
        var start = Math.Max(history[0].Peak, 1e-9);
        var health = _options.FailurePeak > start
            ? Math.Clamp(1 - Math.Log(Math.Max(history[last].Peak, start) / start) / Math.Log(_options.FailurePeak / start), 0, 1)
            : 0;
        return new RulEstimate(best, lower, upper, history[last].TimeSeconds + best, health, "fleet");
    }

    private double Distance(double[] a, double[] b)
    {
        double d = 0;
        for (var j = 0; j < a.Length; j++)
        {
            var u = (a[j] - b[j]) / _scale[j];
            d += u * u;
        }

        return d;
    }

    internal static double[] Features(IReadOnlyList<CaptureFeatures> h, int i, FleetRulModelOptions options)
    {
        var features = new List<double>(6);
        if (options.UseAge)
        {
            features.Add(Math.Log(h[i].TimeSeconds - h[0].TimeSeconds + Offset));
        }

        if (options.UseVibration)
        {
            double RollingRms(int end)
            {
                var a = Math.Max(0, end - 4);
                double s = 0;
                for (var k = a; k <= end; k++)
                {
                    s += h[k].Rms;
                }

                return s / (end - a + 1);
            }

            var recent = RollingRms(i);
            var baseline = double.PositiveInfinity;
            for (var k = Math.Min(i, 4); k <= i; k++)
            {
                baseline = Math.Min(baseline, RollingRms(k));
            }

            double RollingPeak(int end)
            {
                var a = Math.Max(0, end - 4);
                double s = 0;
                for (var k = a; k <= end; k++)
                {
                    s += h[k].Peak;
                }

                return s / (end - a + 1);
            }

            var recentPeak = RollingPeak(i);
            double kurt = 0;
            var n = 0;
            for (var k = Math.Max(0, i - 4); k <= i; k++)
            {
                kurt += h[k].Kurtosis;
                n++;
            }

            kurt /= n;

            // Slope of log RMS over the last ten captures, per hour.
            var m = Math.Min(10, i + 1);
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (var k = i - m + 1; k <= i; k++)
            {
                var t = (h[k].TimeSeconds - h[i].TimeSeconds) / 3600;
                var v = Math.Log(Math.Max(h[k].Rms, 1e-9));
                sx += t;
                sy += v;
                sxx += t * t;
                sxy += t * v;
            }

            var den = m * sxx - sx * sx;
            var slope = m >= 3 && den > 1e-12 ? (m * sxy - sx * sy) / den : 0;

            features.Add(Math.Log(Math.Max(recent, 1e-9) / Math.Max(baseline, 1e-9)));
            features.Add(Math.Log(Math.Max(recentPeak, 1e-9) / options.FailurePeak));
            if (options.UseTrendAndShape)
            {
                features.Add(Math.Clamp(slope, -5, 5));
                features.Add(Math.Log(Math.Max(kurt, 1) / 3));
            }
        }

        return [.. features];
    }
}
