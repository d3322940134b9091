namespace TwinCluster.Analytics.Prognostics;

/// <summary>
/// RUL learned from other machines' run-to-failure histories by state similarity: the degradation state now
/// (RMS growth over the machine's own quietest level, recent peak relative to the failure level; optionally RMS slope,
/// kurtosis, age) is compared with every state of every training run from the second half of its life on, and the
/// prediction is the value that maximises the PHM 2012 accuracy over the true remaining lives of the training states,
/// weighted by a Gaussian kernel of their distance (late predictions cost more than early ones, so uncertain states get
/// cautious answers). Remaining lives are learned as multiples of the operating age by default (a state then stands for
/// a fraction of life used, which transfers between machines whose lives differ several-fold). Every training run has
/// the same prior weight, spread over its states, so a run that never was in the current state hardly votes. The
/// kernel bandwidth is chosen by leave-one-run-out on the training runs themselves unless one is given.
/// The band is the weighted 10–90 % range of those remaining lives.
/// </summary>
public sealed class FleetRulModel
{
    private const double Offset = 60;
    private const int SelectionStatesPerRun = 20;
    private const int SelectionGrid = 60;
    private const int PredictionGrid = 300;
    private static readonly double[] BandwidthCandidates = [double.PositiveInfinity, 4, 2, 1, 0.5];
    private readonly FleetRulModelOptions _options;
    private readonly (int Run, double[] X, double Target)[] _rows;
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly double[] _rowsPerRun;
    private readonly double[] _candidates;
    private readonly double[] _accuracy;

    private FleetRulModel(FleetRulModelOptions options, (int Run, double[] X, double Target)[] rows, double[] mean, double[] scale, int runs)
    {
        _options = options;
        _rows = rows;
        _mean = mean;
        _scale = scale;
        _rowsPerRun = new double[runs];
        foreach (var row in rows)
        {
            _rowsPerRun[row.Run]++;
        }

        // PHM accuracy of every candidate answer (a logarithmic grid over three decades) against every training state.
        var maxTarget = rows.Max(r => r.Target) * 1.5;
        _candidates = new double[PredictionGrid + 1];
        _accuracy = new double[(PredictionGrid + 1) * rows.Length];
        for (var c = 0; c <= PredictionGrid; c++)
        {
            _candidates[c] = maxTarget * Math.Pow(10, -3 + 3.0 * c / PredictionGrid);
            for (var i = 0; i < rows.Length; i++)
            {
                _accuracy[c * rows.Length + i] = PhmScore.Accuracy(rows[i].Target, _candidates[c]);
            }
        }

        Bandwidth = options.Bandwidth > 0 ? options.Bandwidth : SelectBandwidth();
    }

    /// <summary>Kernel bandwidth in use, in standard deviations of the state features (infinite: the state is ignored).</summary>
    public double Bandwidth { get; }

    /// <summary>Learns from complete run-to-failure histories (each ends at failure).</summary>
    public static FleetRulModel Train(IReadOnlyList<IReadOnlyList<CaptureFeatures>> runs, FleetRulModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        options ??= new FleetRulModelOptions();
        var rows = new List<(int Run, double[] X, double Target)>();
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var end = run[^1].TimeSeconds;
            for (var i = (int)(options.TrainFromLifeFraction * (run.Count - 1)); i < run.Count - 1; i++)
            {
                var rul = end - run[i].TimeSeconds;
                rows.Add((r, Features(run, i, options), options.RulAsMultipleOfAge ? rul / Age(run, i) : rul));
            }
        }

        if (rows.Count < 5)
        {
            throw new ArgumentException("Too little training data.", nameof(runs));
        }

        // Standardise so that each feature counts alike in the distance.
        var p = rows[0].X.Length;
        var mean = new double[p];
        var scale = new double[p];
        for (var j = 0; j < p; j++)
        {
            mean[j] = rows.Average(x => x.X[j]);
            var v = rows.Average(x => (x.X[j] - mean[j]) * (x.X[j] - mean[j]));
            scale[j] = v > 1e-12 ? Math.Sqrt(v) : 1;
        }

        foreach (var row in rows)
        {
            Standardise(row.X, mean, scale);
        }

        return new FleetRulModel(options, [.. rows], mean, scale, runs.Count);
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
        Standardise(x, _mean, _scale);
        var weights = new double[_rows.Length];
        Weigh(x, Bandwidth, -1, weights);
        var best = BestAnswer(weights, PredictionGrid);

        var order = Enumerable.Range(0, _rows.Length).OrderBy(i => _rows[i].Target).ToArray();
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
                lower = _rows[i].Target;
            }

            if (before < highQ && cumulative >= highQ)
            {
                upper = _rows[i].Target;
            }
        }

        lower = Math.Min(lower, best);
        upper = Math.Max(upper, best);
        if (_options.RulAsMultipleOfAge)
        {
            var age = Age(history, last);
            best *= age;
            lower *= age;
            upper *= age;
        }

        // Health: how far the peak has climbed, on a log scale, from the first capture's level to the failure level.
        var start = Math.Max(history[0].Peak, 1e-9);
        var health = _options.FailurePeak > start
            ? Math.Clamp(1 - Math.Log(Math.Max(history[last].Peak, start) / start) / Math.Log(_options.FailurePeak / start), 0, 1)
            : 0;
        return new RulEstimate(best, lower, upper, history[last].TimeSeconds + best, health, "fleet");
    }

    private static void Standardise(double[] x, double[] mean, double[] scale)
    {
        for (var j = 0; j < x.Length; j++)
        {
            x[j] = (x[j] - mean[j]) / scale[j];
        }
    }

    // Gaussian kernel weights on the standardised state; each run's prior weight is spread over its states.
    private void Weigh(double[] x, double bandwidth, int excludeRun, double[] weights)
    {
        var minD = double.PositiveInfinity;
        for (var i = 0; i < _rows.Length; i++)
        {
            if (_rows[i].Run == excludeRun)
            {
                weights[i] = double.NaN;
                continue;
            }

            double d = 0;
            var row = _rows[i].X;
            for (var j = 0; j < x.Length; j++)
            {
                var u = x[j] - row[j];
                d += u * u;
            }

            weights[i] = d;
            minD = Math.Min(minD, d);
        }

        var twoB2 = 2 * bandwidth * bandwidth;
        for (var i = 0; i < _rows.Length; i++)
        {
            // Relative to the nearest state, so a state far from every training state still gets finite weights.
            weights[i] = double.IsNaN(weights[i]) ? 0
                : (double.IsPositiveInfinity(bandwidth) ? 1 : Math.Exp(-(weights[i] - minD) / twoB2)) / _rowsPerRun[_rows[i].Run];
        }
    }

    // The answer maximising the expected PHM accuracy under the weights; a coarser grid takes every k-th candidate.
    private double BestAnswer(double[] weights, int grid)
    {
        var stride = PredictionGrid / grid;
        var rows = _rows.Length;
        var best = 0.0;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c <= PredictionGrid; c += stride)
        {
            var accuracy = _accuracy.AsSpan(c * rows, rows);
            double score = 0;
            for (var i = 0; i < rows; i++)
            {
                score += weights[i] * accuracy[i];
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = _candidates[c];
            }
        }

        return best;
    }

    // Leave-one-run-out over the training runs: each candidate bandwidth answers for states of a run it did not see.
    // One-standard-error rule: the widest bandwidth within one standard error (across runs) of the best one, so a
    // state that barely helps on a few runs is not trusted.
    private double SelectBandwidth()
    {
        var runs = _rowsPerRun.Length;
        if (_rows[0].X.Length == 0 || _rowsPerRun.Count(n => n > 0) < 3)
        {
            return double.PositiveInfinity;
        }

        var weights = new double[_rows.Length];
        var perRun = new List<double[]>();
        foreach (var bandwidth in BandwidthCandidates)
        {
            var scores = new List<double>();
            for (var r = 0; r < runs; r++)
            {
                if (_rowsPerRun[r] == 0)
                {
                    continue;
                }

                var stride = Math.Max(1, (int)Math.Ceiling(_rowsPerRun[r] / SelectionStatesPerRun));
                double runSum = 0;
                var n = 0;
                var seen = 0;
                for (var i = 0; i < _rows.Length; i++)
                {
                    if (_rows[i].Run != r || seen++ % stride != 0)
                    {
                        continue;
                    }

                    Weigh(_rows[i].X, bandwidth, r, weights);
                    runSum += PhmScore.Accuracy(_rows[i].Target, BestAnswer(weights, SelectionGrid));
                    n++;
                }

                scores.Add(runSum / n);
            }

            perRun.Add([.. scores]);
        }

        var means = perRun.Select(s => s.Average()).ToArray();
        var best = Array.IndexOf(means, means.Max());
        var spread = perRun[best].Select(v => (v - means[best]) * (v - means[best])).Sum() / (perRun[best].Length - 1);
        var standardError = Math.Sqrt(spread / perRun[best].Length);
        for (var c = 0; c < BandwidthCandidates.Length; c++)
        {
            if (means[c] >= means[best] - standardError)
            {
                return BandwidthCandidates[c];
            }
        }

        return BandwidthCandidates[best];
    }

    // Operating time since the first capture (the machine's start of life), at least one offset so it is never zero.
    private static double Age(IReadOnlyList<CaptureFeatures> h, int i) => Math.Max(h[i].TimeSeconds - h[0].TimeSeconds, Offset);

    internal static double[] Features(IReadOnlyList<CaptureFeatures> h, int i, FleetRulModelOptions options)
    {
        var features = new List<double>(6);
        if (options.UseAge)
        {
            features.Add(Math.Log(h[i].TimeSeconds - h[0].TimeSeconds + Offset));
        }

        if (options.UseVibration)
        {
            // Rolling medians of five captures: single-capture spikes (a kurtosis of 200 on a healthy bearing) do not count.
            double RollingMedian(int end, Func<CaptureFeatures, double> value)
            {
                Span<double> w = stackalloc double[5];
                var a = Math.Max(0, end - 4);
                var n = end - a + 1;
                for (var k = 0; k < n; k++)
                {
                    w[k] = value(h[a + k]);
                }

                w[..n].Sort();
                return n % 2 == 1 ? w[n / 2] : 0.5 * (w[n / 2 - 1] + w[n / 2]);
            }

            double RollingRms(int end) => RollingMedian(end, c => c.Rms);
            double RollingPeak(int end) => RollingMedian(end, c => c.Peak);

            var recent = RollingRms(i);
            var baseline = double.PositiveInfinity;
            for (var k = Math.Min(i, 4); k <= i; k++)
            {
                baseline = Math.Min(baseline, RollingRms(k));
            }

            var recentPeak = RollingPeak(i);
            var kurt = RollingMedian(i, c => c.Kurtosis);

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
