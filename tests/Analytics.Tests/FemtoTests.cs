using TwinCluster.Analytics.Prognostics;

namespace TwinCluster.Analytics.Tests;

public sealed class FemtoTests(ITestOutputHelper output)
{
    // Cut points as fractions of each bearing's life, chosen to span the PHM 2012 test set's truncations (about 0.6 to 0.97).
    private static readonly double[] CutFractions = [0.6, 0.7, 0.8, 0.9, 0.95];

    private static readonly Lazy<Dictionary<string, List<CaptureFeatures>>> Cache = new(() => Load("femto"));

    private static readonly Lazy<Dictionary<string, List<CaptureFeatures>>> FullTest = new(() => Load("femto-full-test"));

    internal static Dictionary<string, List<CaptureFeatures>> Load(string set)
    {
        var dir = TestData.Root() is { } root ? Path.Combine(root, set) : "";
        var manifest = TestData.Manifest(dir);
        var runs = new Dictionary<string, List<CaptureFeatures>>();
        foreach (var b in manifest.GetProperty("bearings").EnumerateArray())
        {
            var folder = Path.Combine(dir, b.GetProperty("folder").GetString()!);
            var interval = b.GetProperty("captureIntervalSeconds").GetDouble();
            var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToArray();
            var run = new List<CaptureFeatures>(files.Length);
            for (var i = 0; i < files.Length; i++)
            {
                var h = TestData.ReadColumn(files[i], 0);
                var v = TestData.ReadColumn(files[i], 1);
                run.Add(CaptureFeatures.Combine([CaptureFeatures.Compute(i * interval, h), CaptureFeatures.Compute(i * interval, v)]));
            }

            runs[b.GetProperty("bearing").GetString()!] = run;
        }

        return runs;
    }

    // The challenge's own cuts (femto-full-test manifest): captures before the cut and the official actual RUL.
    private static Dictionary<string, (int Captures, double ActualRul)> ChallengeCuts()
    {
        var cuts = new Dictionary<string, (int, double)>();
        foreach (var b in TestData.Manifest(Path.Combine(TestData.Root()!, "femto-full-test")).GetProperty("bearings").EnumerateArray())
        {
            if (b.TryGetProperty("challengeCut", out var cut))
            {
                cuts[b.GetProperty("bearing").GetString()!] = (cut.GetProperty("capturesBeforeCut").GetInt32(), cut.GetProperty("actualRulSeconds").GetDouble());
            }
        }

        return cuts;
    }

    // Cuts across the whole life, early as well as late.
    private static readonly double[] LifeFractions = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

    private sealed record Cut(string Bearing, string Label, int Captures, double Actual, bool Official);

    private static List<Cut> CutsOf(string name, List<CaptureFeatures> run, Dictionary<string, (int Captures, double ActualRul)> official)
    {
        var cuts = new List<Cut>();
        foreach (var fraction in LifeFractions)
        {
            var at = (int)Math.Floor(fraction * (run.Count - 1));
            cuts.Add(new Cut(name, $"{fraction:0.00}", at + 1, run[^1].TimeSeconds - run[at].TimeSeconds, false));
        }

        if (official.TryGetValue(name, out var o))
        {
            cuts.Add(new Cut(name, "official", o.Captures, o.ActualRul, true));
        }

        return cuts;
    }

    [Fact]
    public void Eleven_histories_leave_one_bearing_out_across_the_whole_life_and_the_official_cuts()
    {
        TestData.RequireDir("femto");
        TestData.RequireDir("femto-full-test");
        var runs = Cache.Value.Concat(FullTest.Value).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value);
        var official = ChallengeCuts();
        var results = new List<(Cut Cut, RulEstimate Estimate, double Constant, double OldModel)>();
        foreach (var (name, run) in runs)
        {
            // Everything learned (the model, the constant) comes from the other ten bearings only.
            var training = runs.Where(kv => kv.Key != name).Select(kv => (IReadOnlyList<CaptureFeatures>)kv.Value).ToList();
            var model = FleetPrognosis.Train(training);
            var old = FleetRulModel.Train(training);
            var trainingCuts = runs.Where(kv => kv.Key != name).SelectMany(kv => CutsOf(kv.Key, kv.Value, [])).Select(c => c.Actual).ToList();
            var constant = PhmScore.BestConstant(trainingCuts).Constant;
            foreach (var cut in CutsOf(name, run, official))
            {
                var seen = run.Take(cut.Captures).ToList();
                results.Add((cut, model.Predict(seen), constant, old.Predict(seen).RulSeconds));
            }
        }

        foreach (var (cut, e, constant, oldModel) in results)
        {
            var inside = cut.Actual >= e.LowerSeconds && cut.Actual <= e.UpperSeconds;
            output.WriteLine(FormattableString.Invariant(
                $"{cut.Bearing} {cut.Label,-8} actual {cut.Actual,6:0} s  predicted {e.RulSeconds,6:0} s [{e.LowerSeconds:0}, {e.UpperSeconds:0}] {(inside ? "in " : "OUT")} {e.State,-19} accuracy {PhmScore.Accuracy(cut.Actual, e.RulSeconds):0.000} | constant {constant:0} s {PhmScore.Accuracy(cut.Actual, constant):0.000} | previous model {oldModel:0} s {PhmScore.Accuracy(cut.Actual, oldModel):0.000}"));
        }

        double Score(IEnumerable<(Cut Cut, RulEstimate Estimate, double Constant, double OldModel)> rows, Func<(Cut Cut, RulEstimate Estimate, double Constant, double OldModel), double> predicted) =>
            PhmScore.Mean(rows.Select(r => (r.Cut.Actual, predicted(r))).ToList());
        var all = results;
        var officials = results.Where(r => r.Cut.Official).ToList();
        var ours = Score(all, r => r.Estimate.RulSeconds);
        var learnedConstant = Score(all, r => r.Constant);
        var previous = Score(all, r => r.OldModel);
        var coverage = all.Count(r => r.Cut.Actual >= r.Estimate.LowerSeconds && r.Cut.Actual <= r.Estimate.UpperSeconds) / (double)all.Count;
        var widths = all.Select(r => r.Estimate.UpperSeconds - r.Estimate.LowerSeconds).Order().ToArray();
        var relative = all.Select(r => (r.Estimate.UpperSeconds - r.Estimate.LowerSeconds) / r.Cut.Actual).Order().ToArray();
        var worstOfficial = officials.Max(r => r.Estimate.RulSeconds / r.Cut.Actual);
        output.WriteLine($"PHM 2012 score, leave-one-bearing-out over 11 histories, {all.Count} cuts ({LifeFractions.Length} per bearing at {string.Join(", ", LifeFractions)} of life + {officials.Count} official):");
        output.WriteLine($"  fleet prognosis: {ours:0.000}; constant learned leave-one-out: {learnedConstant:0.000}; previous fleet model (multiple of age): {previous:0.000}");
        output.WriteLine($"  official cuts only: fleet prognosis {Score(officials, r => r.Estimate.RulSeconds):0.000}, learned constant {Score(officials, r => r.Constant):0.000}, previous {Score(officials, r => r.OldModel):0.000}; largest estimate / actual {worstOfficial:0.00}");
        foreach (var state in new[] { RulStates.NoDegradationSeen, RulStates.Degrading })
        {
            var rows = all.Where(r => r.Estimate.State == state).ToList();
            if (rows.Count > 0)
            {
                output.WriteLine($"  state {state}: {rows.Count} cuts, score {Score(rows, r => r.Estimate.RulSeconds):0.000} (constant {Score(rows, r => r.Constant):0.000})");
            }
        }

        output.WriteLine($"  band: actual inside [lower, upper] in {coverage:P0} of cuts; width median {widths[widths.Length / 2]:0} s (median {relative[relative.Length / 2]:0.0} x the actual RUL), 90th percentile {widths[(int)(0.9 * (widths.Length - 1))]:0} s");
        output.WriteLine($"  late answers (predicted > actual): {all.Count(r => r.Estimate.RulSeconds > r.Cut.Actual)} of {all.Count}; more than twice the actual: {all.Count(r => r.Estimate.RulSeconds > 2 * r.Cut.Actual)}");
        var (hindsight, hindsightScore) = PhmScore.BestConstant(all.Select(r => r.Cut.Actual).ToList());
        output.WriteLine($"  best constant chosen with hindsight on these cuts (not a forecast): {hindsight:0} s -> {hindsightScore:0.000}");
        output.WriteLine($"  targets: score >= 0.45 and above the learned constant: {(ours >= 0.45 && ours > learnedConstant ? "met" : "NOT met")}; official cuts within 2x: {(worstOfficial <= 2 ? "met" : "NOT met")}; band coverage >= 80 %: {(coverage >= 0.8 ? "met" : "NOT met")}");

        // What limits it: at every official cut the history shows nothing above the bearing's own healthy level, so the
        // only thing the fleet can say is how long undegraded bearings lasted, which varies twelve-fold.
        foreach (var r in officials)
        {
            var run = runs[r.Cut.Bearing];
            var firstDegraded = Enumerable.Range(0, run.Count).FirstOrDefault(i => FleetPrognosis.IsDegraded(run, i), run.Count);
            output.WriteLine($"  {r.Cut.Bearing}: cut after capture {r.Cut.Captures} of {run.Count}; first capture that reads degraded: {(firstDegraded < run.Count ? $"{firstDegraded} ({(run.Count - 1 - firstDegraded) * 60} s before the last)" : "none before the last")}; state at the cut: {r.Estimate.State}");
        }

        Assert.Equal(11 * LifeFractions.Length + 4, all.Count);
        Assert.True(coverage >= 0.8, $"band coverage {coverage:P0}");
        Assert.True(ours > previous, $"fleet prognosis {ours:0.000} does not beat the previous model {previous:0.000}");
        // Bounded: no answer beyond the longest remaining life any training state had (the previous model answered up to
        // several times the bearing's age).
        var longestLife = runs.Values.Max(run => run[^1].TimeSeconds);
        Assert.All(all, r => Assert.InRange(r.Estimate.RulSeconds, 0, longestLife));
    }

    private (double Score, List<(double Actual, double Predicted)> Pairs) LeaveOneBearingOut(FleetRulModelOptions options, bool print)
    {
        var runs = Cache.Value;
        var pairs = new List<(double Actual, double Predicted)>();
        foreach (var (name, run) in runs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            // The bearing being scored never takes part in fitting.
            var model = FleetRulModel.Train(runs.Where(kv => kv.Key != name).Select(kv => (IReadOnlyList<CaptureFeatures>)kv.Value).ToList(), options);
            foreach (var fraction in CutFractions)
            {
                var cut = (int)Math.Floor(fraction * (run.Count - 1));
                var actual = run[^1].TimeSeconds - run[cut].TimeSeconds;
                var estimate = model.Predict(run.Take(cut + 1).ToList());
                pairs.Add((actual, estimate.RulSeconds));
                if (print)
                {
                    output.WriteLine($"{name} cut {fraction:0.00}: actual {actual,6:0} s predicted {estimate.RulSeconds,6:0} s [{estimate.LowerSeconds:0}, {estimate.UpperSeconds:0}] accuracy {PhmScore.Accuracy(actual, estimate.RulSeconds):0.000} (bandwidth {model.Bandwidth})");
                }
            }
        }

        return (PhmScore.Mean(pairs), pairs);
    }

    // The generic estimator the CLI uses: health = RMS against the run's own baseline, exponential damage trend to the alarm.
    private static double TrendOnly()
    {
        var pairs = new List<(double Actual, double Predicted)>();
        foreach (var run in Cache.Value.Values)
        {
            foreach (var fraction in CutFractions)
            {
                var cut = (int)Math.Floor(fraction * (run.Count - 1));
                var seen = run.Take(cut + 1).ToList();
                var rms = seen.Select(c => c.Rms).ToArray();
                var baseline = BaselineHealth.Baseline(rms);
                var health = rms.Select(v => BaselineHealth.Relative(v, baseline)).ToArray();
                var estimate = new RulEstimator().Estimate(seen.Select(c => c.TimeSeconds).ToArray(), health);
                pairs.Add((run[^1].TimeSeconds - run[cut].TimeSeconds, estimate.RulSeconds));
            }
        }

        return PhmScore.Mean(pairs);
    }

    [Fact]
    public void Leave_one_bearing_out_RUL_is_scored_against_constants()
    {
        TestData.RequireDir("femto");
        var (score, pairs) = LeaveOneBearingOut(new FleetRulModelOptions(), print: true);
        var (constant, constantScore) = PhmScore.BestConstant(pairs.Select(p => p.Actual).ToList());
        double Score(FleetRulModelOptions options) => LeaveOneBearingOut(options, print: false).Score;
        var agePrior = Score(new FleetRulModelOptions { UseVibration = false });
        var seconds = Score(new FleetRulModelOptions { RulAsMultipleOfAge = false });
        var previous = Score(new FleetRulModelOptions { RulAsMultipleOfAge = false, Bandwidth = 1 });
        var ageOnly = Score(new FleetRulModelOptions { UseVibration = false, UseAge = true });
        var withAge = Score(new FleetRulModelOptions { UseAge = true });
        var withoutShape = Score(new FleetRulModelOptions { UseTrendAndShape = false });
        var learnedConstant = Score(new FleetRulModelOptions { UseVibration = false, UseAge = false, RulAsMultipleOfAge = false });
        output.WriteLine($"PHM 2012 score, {pairs.Count} cuts at {string.Join(", ", CutFractions)} of life, leave-one-bearing-out:");
        output.WriteLine($"  fleet model (RUL as a multiple of age; state: RMS growth, peak vs failure, RMS slope, kurtosis; bandwidth chosen on the training runs): {score:0.000}");
        output.WriteLine($"  the same without the vibration state (a learned multiple of age): {agePrior:0.000}");
        output.WriteLine($"  RUL in seconds with the state: {seconds:0.000}; in seconds, bandwidth fixed at 1 (the earlier model): {previous:0.000}");
        output.WriteLine($"  log age as a state feature only: {ageOnly:0.000}; vibration state + log age: {withAge:0.000}; growth features only (no slope, kurtosis): {withoutShape:0.000}");
        output.WriteLine($"  constant in seconds learned leave-one-bearing-out (no state, no age): {learnedConstant:0.000}");
        foreach (var bandwidth in new[] { 0.5, 1.0, 2.0, 4.0 })
        {
            output.WriteLine($"  kernel bandwidth fixed at {bandwidth}: {Score(new FleetRulModelOptions { Bandwidth = bandwidth }):0.000}");
        }

        output.WriteLine($"  health-trend extrapolation alone (RulEstimator, no fleet data): {TrendOnly():0.000}");
        output.WriteLine($"  best single constant (chosen with hindsight on these cuts): {constant:0} s -> {constantScore:0.000}");
        output.WriteLine($"  target 0.45 and above the hindsight constant: {(score >= 0.45 && score > constantScore ? "met" : "NOT met")}");
        Assert.Equal(CutFractions.Length * 6, pairs.Count);
        // What the method must at least do: beat the constant a forecaster could learn the same honest way.
        Assert.True(score > learnedConstant, $"Model {score:0.000} does not beat the leave-one-out constant {learnedConstant:0.000}.");
    }
}
