namespace TwinCluster.Analytics.Prognostics;

/// <summary>
/// Remaining useful life from other machines' run-to-failure histories, never more optimistic than they support.
/// Every capture of every training run (from the first to the one before failure) is a state with a known remaining
/// life. A history is first classed: <see cref="RulStates.NoDegradationSeen"/> while its RMS and peak (rolling medians
/// of five captures) stay below <see cref="FleetPrognosisOptions.DegradedRmsRatio"/> times its own healthy level and
/// <see cref="FleetPrognosisOptions.DegradedPeakFraction"/> of the failure peak, otherwise
/// <see cref="RulStates.Degrading"/>. It is then compared only with training states of the same class: an undegraded
/// machine with every undegraded state of the fleet (what the fleet's machines had left while they still looked
/// healthy; optionally weighted by similar operating age), a degrading one with the degrading states nearest in RMS
/// growth and peak (a Gaussian kernel in standardised units). Each training run has the same prior weight,
/// spread over its matched states. The answer is the value that maximises the expected PHM 2012 accuracy over the
/// matched remaining lives (late answers cost four times as much as early ones, so a spread-out match gives a cautious
/// answer), and is never above the longest of them; the band is their weighted quantiles. Remaining lives are in
/// seconds, not multiples of the age, so the answer is bounded by what the fleet has seen.
/// </summary>
public sealed class FleetPrognosis
{
    private const double Offset = 60;
    private const int Grid = 400;
    private readonly FleetPrognosisOptions _options;
    private readonly State[] _rows;
    private readonly int _runs;
    private readonly double[] _mean = new double[2];
    private readonly double[] _scale = new double[2];

    private FleetPrognosis(FleetPrognosisOptions options, State[] rows, int runs)
    {
        _options = options;
        _rows = rows;
        _runs = runs;
        var degraded = rows.Where(r => r.Degraded).ToArray();
        for (var j = 0; j < 2; j++)
        {
            if (degraded.Length < 2)
            {
                _scale[j] = 1;
                continue;
            }

            _mean[j] = degraded.Average(r => r.X[j]);
            var v = degraded.Average(r => (r.X[j] - _mean[j]) * (r.X[j] - _mean[j]));
            _scale[j] = v > 1e-12 ? Math.Sqrt(v) : 1;
        }
    }

    /// <summary>Training runs learned from.</summary>
    public int Runs => _runs;

    /// <summary>Learns from complete run-to-failure histories (each ends at failure, captures in time order).</summary>
    public static FleetPrognosis Train(IReadOnlyList<IReadOnlyList<CaptureFeatures>> runs, FleetPrognosisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        options ??= new FleetPrognosisOptions();
        var rows = new List<State>();
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            if (run.Count < 2)
            {
                throw new ArgumentException($"Run {r} has fewer than two captures.", nameof(runs));
            }

            var end = run[^1].TimeSeconds;
            for (var i = 0; i < run.Count - 1; i++)
            {
                rows.Add(Describe(run, i, options, r, end - run[i].TimeSeconds));
            }
        }

        if (runs.Count < 2 || rows.Count < 5)
        {
            throw new ArgumentException("Too little training data: at least two run-to-failure histories are needed.", nameof(runs));
        }

        return new FleetPrognosis(options, [.. rows], runs.Count);
    }

    /// <summary>Predicts the remaining life after the last capture of an observed history (its first capture: the machine new).</summary>
    public RulEstimate Predict(IReadOnlyList<CaptureFeatures> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("Empty history.", nameof(history));
        }

        var last = history.Count - 1;
        var now = Describe(history, last, _options, -1, 0);
        var health = Math.Clamp(1 - Math.Max(0, now.X[1] - Math.Log(_options.DegradedPeakFraction)) / -Math.Log(_options.DegradedPeakFraction), 0, 1);
        if (history[last].Peak >= _options.FailurePeak)
        {
            return new RulEstimate(0, 0, 0, history[last].TimeSeconds, 0, "fleet", RulStates.Failed);
        }

        var weights = new double[_rows.Length];
        var perRun = new double[_runs];
        var matched = 0;
        for (var i = 0; i < _rows.Length; i++)
        {
            var row = _rows[i];
            if (row.Degraded != now.Degraded)
            {
                continue;
            }

            double d2;
            if (now.Degraded)
            {
                d2 = 0;
                for (var j = 0; j < 2; j++)
                {
                    var u = (now.X[j] - row.X[j]) / _scale[j];
                    d2 += u * u;
                }

                d2 /= _options.StateBandwidth * _options.StateBandwidth;
            }
            else
            {
                var u = _options.UseAge ? (now.LogAge - row.LogAge) / _options.AgeBandwidth : 0;
                d2 = u * u;
            }

            weights[i] = Math.Exp(-0.5 * d2);
            perRun[row.Run] += weights[i];
            matched++;
        }

        if (matched == 0)
        {
            // The fleet never was in this class of state: every state votes, by age.
            for (var i = 0; i < _rows.Length; i++)
            {
                var u = (now.LogAge - _rows[i].LogAge) / _options.AgeBandwidth;
                weights[i] = Math.Exp(-0.5 * u * u);
                perRun[_rows[i].Run] += weights[i];
            }
        }

        // Same prior weight per run (a run with many matching states does not outvote the others); a run whose
        // states are all far from this one keeps its small share.
        var total = 0.0;
        for (var i = 0; i < _rows.Length; i++)
        {
            if (weights[i] > 0)
            {
                var runTotal = perRun[_rows[i].Run];
                weights[i] = runTotal > 0 ? weights[i] / runTotal * Math.Min(1, runTotal) : 0;
                total += weights[i];
            }
        }

        if (!(total > 0))
        {
            for (var i = 0; i < _rows.Length; i++)
            {
                weights[i] = 1;
            }

            total = _rows.Length;
        }

        var longest = 0.0;
        for (var i = 0; i < _rows.Length; i++)
        {
            if (weights[i] > 1e-6 * total)
            {
                longest = Math.Max(longest, _rows[i].Rul);
            }
        }

        var best = _options.AnswerQuantile > 0 ? Quantile(weights, total, _options.AnswerQuantile) : BestAnswer(weights, longest);
        var (lower, upper) = Quantiles(weights, total);
        lower = Math.Min(lower, best);
        upper = Math.Max(upper, best);
        var state = now.Degraded ? RulStates.Degrading : RulStates.NoDegradationSeen;
        return new RulEstimate(best, lower, upper, history[last].TimeSeconds + best, health, "fleet", state);
    }

    private double BestAnswer(double[] weights, double longest)
    {
        var bestScore = double.NegativeInfinity;
        var best = 0.0;
        var low = Math.Max(1, longest * 1e-3);
        for (var c = 0; c <= Grid; c++)
        {
            var candidate = low * Math.Pow(longest / low, c / (double)Grid);
            double score = 0;
            for (var i = 0; i < _rows.Length; i++)
            {
                if (weights[i] > 0)
                {
                    score += weights[i] * PhmScore.Accuracy(Math.Max(_rows[i].Rul, 1), candidate);
                }
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return best;
    }

    private double Quantile(double[] weights, double total, double q)
    {
        var order = Enumerable.Range(0, _rows.Length).Where(i => weights[i] > 0).OrderBy(i => _rows[i].Rul).ToArray();
        double cumulative = 0;
        foreach (var i in order)
        {
            cumulative += weights[i];
            if (cumulative >= q * total)
            {
                return _rows[i].Rul;
            }
        }

        return _rows[order[^1]].Rul;
    }

    private (double Lower, double Upper) Quantiles(double[] weights, double total)
    {
        var order = Enumerable.Range(0, _rows.Length).Where(i => weights[i] > 0).OrderBy(i => _rows[i].Rul).ToArray();
        var lowQ = (0.5 - _options.Coverage / 2) * total;
        var highQ = (0.5 + _options.Coverage / 2) * total;
        double cumulative = 0;
        var lower = _rows[order[0]].Rul;
        var upper = _rows[order[^1]].Rul;
        var lowSet = false;
        foreach (var i in order)
        {
            cumulative += weights[i];
            if (!lowSet && cumulative >= lowQ)
            {
                lower = _rows[i].Rul;
                lowSet = true;
            }

            if (cumulative >= highQ)
            {
                upper = _rows[i].Rul;
                break;
            }
        }

        return (lower, upper);
    }

    /// <summary>Whether the history up to capture <paramref name="i"/> shows degradation, with the state features behind it.</summary>
    public static bool IsDegraded(IReadOnlyList<CaptureFeatures> history, int i, FleetPrognosisOptions? options = null) =>
        Describe(history, i, options ?? new FleetPrognosisOptions(), -1, 0).Degraded;

    private static State Describe(IReadOnlyList<CaptureFeatures> h, int i, FleetPrognosisOptions options, int run, double rul)
    {
        var baseN = Math.Min(i + 1, Math.Max(3, options.BaselineCaptures));
        var head = new double[baseN];
        for (var k = 0; k < baseN; k++)
        {
            head[k] = h[k].Rms;
        }

        Array.Sort(head);
        var baseline = Math.Max(head[baseN / 2], 1e-9);
        var rms = RollingMedian(h, i, c => c.Rms);
        var peak = RollingMedian(h, i, c => c.Peak);
        var growth = Math.Log(Math.Max(rms, 1e-9) / baseline);
        var peakRatio = Math.Log(Math.Max(peak, 1e-9) / options.FailurePeak);
        var degraded = growth > Math.Log(options.DegradedRmsRatio) || peakRatio > Math.Log(options.DegradedPeakFraction);
        var age = h[i].TimeSeconds - h[0].TimeSeconds;
        return new State(run, [growth, peakRatio], Math.Log(age + Offset), degraded, rul);
    }

    private static double RollingMedian(IReadOnlyList<CaptureFeatures> h, int end, Func<CaptureFeatures, double> value)
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

    private sealed record State(int Run, double[] X, double LogAge, bool Degraded, double Rul);
}
