namespace TwinCluster.Analytics.Internal;

/// <summary>
/// Defect-line scoring and the health index, shared by <see cref="VibrationAnalyzer"/> (envelope spectra in Hz) and
/// the slow-shaft analyzer (order-tracked envelope spectra, where the "shaft speed" is 1 order).
/// </summary>
internal static class FaultLines
{
    /// <summary>
    /// Health in [0, 1] that tracks severity through the stages of bearing failure: defect lines in the envelope
    /// spectrum (up to a quarter of the damage), impulsiveness (kurtosis, up to a quarter), then the velocity rise of a
    /// spreading defect (the other half, reached at the zone C/D limit). 0.5 is the alarm: a developed, impulsive
    /// defect or velocity at the C/D limit; 0 is failure. Velocity alone (any cause) gives 0.5 at C/D and 0 at twice that.
    /// </summary>
    public static double HealthIndex(Diagnosis diagnosis, double rmsVelocity, double kurtosis, SeverityZones zones, double threshold)
    {
        var bearingScore = 0.0;
        foreach (var (kind, score) in diagnosis.Scores)
        {
            if (kind is FaultKind.OuterRace or FaultKind.InnerRace or FaultKind.Ball)
            {
                bearingScore = Math.Max(bearingScore, score);
            }
            else if (kind == FaultKind.Cage)
            {
                bearingScore = Math.Max(bearingScore, score - 3);
            }
        }

        // Stage 2: defect lines emerge (half the detection threshold) and saturate (3.5 times it, all harmonics clear).
        var lines = Math.Clamp((bearingScore - 0.5 * threshold) / (3 * threshold), 0, 1);

        // Stage 3: impulsiveness from just above Gaussian (3.5) to a developed impact train (10), on a log scale.
        var impulses = Math.Clamp(Math.Log(Math.Max(kurtosis, 1) / KurtosisOnset) / Math.Log(KurtosisDeveloped / KurtosisOnset), 0, 1);

        // Stage 4: the level rises from the A/B boundary to the alarm limit (C/D).
        var level = Math.Clamp((rmsVelocity - zones.BoundaryAB) / (zones.BoundaryCD - zones.BoundaryAB), 0, 1);

        var damage = 0.25 * lines + 0.25 * impulses + 0.5 * level;
        return Math.Clamp(Math.Min(1 - damage, zones.Health(rmsVelocity)), 0, 1);
    }

    /// <summary>
    /// What a defect fit costs, in dB of score, when its speed factor sits a whole speed tolerance away from the speed
    /// measured from the shaft's own lines (quadratic in between): 12 dB at half the tolerance (1.5 %, about the most a
    /// race's rate slips against the shaft's), 3 dB at a quarter. The tolerance itself stays wide for the speed
    /// reading's error, which the measured speed takes out.
    /// </summary>
    public const double SpeedPenaltyDb = 48;

    private const double LineOffsetDb = 3;

    private const double KurtosisOnset = 3.5;
    private const double KurtosisDeveloped = 10;

    /// <summary>
    /// Harmonic-sum prominence (dB over the local median floor) of a defect's lines in one envelope spectrum,
    /// with a common speed correction searched within the tolerance, plus sidebands where the defect is modulated
    /// (each at most as strong as its carrier); less <paramref name="speedPenaltyDb"/> × ((correction −
    /// <paramref name="measuredSpeed"/>) / tolerance)².
    /// </summary>
    public static double Score(
        FaultFrequencies orders, FaultKind kind, ReadOnlySpan<double> ses, double shaftHz, double df, double tol, int harmonics,
        Span<double> floors, Span<double> scratch, List<FaultEvidence>? evidence, string spectrum, double measuredSpeed = 1, double speedPenaltyDb = 0)
    {
        var o = orders;
        var (f0, sideband, name, sbName) = kind switch
        {
            FaultKind.OuterRace => (o.Bpfo * shaftHz, 0.0, "BPFO", ""),
            FaultKind.InnerRace => (o.Bpfi * shaftHz, shaftHz, "BPFI", "1x"),
            FaultKind.Ball => (2 * o.Bsf * shaftHz, o.Ftf * shaftHz, "2xBSF", "FTF"),
            _ => (o.Ftf * shaftHz, 0.0, "FTF", ""),
        };
        var h = Math.Min(Math.Max(1, harmonics), floors.Length);
        var last = ses.Length - 2;
        var floorHalf = Math.Max(10, (int)Math.Round(0.6 * Math.Max(shaftHz, 0.5 * f0) / df));
        var usable = 0;
        // A floor far below the spectrum's own level (bins the envelope band leaves empty) would turn any line into
        // hundreds of dB: no floor is taken below 30 dB under the mean level.
        double mean = 0;
        for (var k = 1; k <= last; k++)
        {
            mean += ses[k];
        }

        var minFloor = Math.Max(1e-3 * mean / Math.Max(1, last), 1e-300);
        // The harmonics examined: the first h, except that ball and cage lines which coincide with race lines prove
        // nothing about the ball or cage and are replaced by the next harmonics (up to 2h), so that every family is
        // judged on as many lines as it can show (on the 6205, 3 x 2xBSF sits on 4 x BPFO).
        var rolling = kind is FaultKind.Ball or FaultKind.Cage;
        Span<int> harm = stackalloc int[h];
        for (var i = 1; i <= (rolling ? 2 * h : h) && usable < h; i++)
        {
            var c = i * f0 / df;
            var excl = (int)Math.Ceiling(tol * c) + 2;
            if (c + excl + 1 > last)
            {
                break;
            }

            if (rolling && CoincidesWithRaceLine(o, i * f0, shaftHz, h, tol, df))
            {
                continue;
            }

            var a = Math.Max(1, (int)c - excl - floorHalf);
            var z = Math.Min(last, (int)c + excl + floorHalf);
            var n = 0;
            var period = f0 / df;
            for (var k = a; k <= z && n < scratch.Length; k++)
            {
                // The floor lies between the defect's own harmonics, which a periodic impact train fills densely.
                var nearest = Math.Max(1, Math.Round(k / period));
                if (Math.Abs(k - nearest * period) > Math.Ceiling(tol * nearest * period) + 2)
                {
                    scratch[n++] = ses[k];
                }
            }

            if (n == 0)
            {
                // Harmonics so close (a slow cage line in a short window) that nothing lies between them: no floor to
                // judge a line against, so this and higher harmonics are not evidence (an empty floor read as
                // +6,000 dB).
                break;
            }

            floors[usable] = Math.Max(Stats.Median(scratch[..n]), minFloor);
            harm[usable] = i;
            usable++;
        }

        if (usable == 0)
        {
            return 0;
        }

        // Common speed factor: all harmonics move together when the speed reading is off. Besides the best fit over the
        // whole tolerance, the best fit near the speed the shaft's own lines show is kept: the answer is whichever of the
        // two scores more once the distance from that speed is charged (a family that fits a comb of other lines at the
        // edge of the tolerance may fit its own lines, a little weaker, at the shaft's speed).
        var step = 0.5 * df / (harm[usable - 1] * f0);
        var bestS = 1.0;
        var bestSum = double.NegativeInfinity;
        var nearS = measuredSpeed;
        var nearSum = double.NegativeInfinity;
        for (var s = 1 - tol; s <= 1 + tol + 1e-12; s += step)
        {
            double sum = 0;
            for (var j = 0; j < usable; j++)
            {
                var k = (int)Math.Round(harm[j] * f0 * s / df);
                sum += ses[k] / floors[j];
            }

            if (sum > bestSum)
            {
                bestSum = sum;
                bestS = s;
            }

            if (Math.Abs(s - measuredSpeed) <= NearMeasuredSpeed * tol && sum > nearSum)
            {
                nearSum = sum;
                nearS = s;
            }
        }

        var ctx = new LineContext(f0, sideband, name, sbName, last, tol, df, spectrum);
        var score = Net(ctx, ses, floors, harm[..usable], bestS, measuredSpeed, speedPenaltyDb, null);
        if (speedPenaltyDb > 0 && nearSum > double.NegativeInfinity && nearS != bestS)
        {
            var near = Net(ctx, ses, floors, harm[..usable], nearS, measuredSpeed, speedPenaltyDb, null);
            if (near > score)
            {
                score = near;
                bestS = nearS;
            }
        }

        if (evidence is not null)
        {
            Net(ctx, ses, floors, harm[..usable], bestS, measuredSpeed, speedPenaltyDb, evidence);
        }

        return score;
    }

    /// <summary>Fraction of the speed tolerance around the measured speed searched for a family's own fit.</summary>
    private const double NearMeasuredSpeed = 0.25;

    private readonly record struct LineContext(
        double F0, double Sideband, string Name, string SidebandName, int Last, double Tol, double Df, string Spectrum);

    // The family's score at speed factor s, less the charge for s's distance from the measured speed.
    private static double Net(in LineContext c, ReadOnlySpan<double> ses, ReadOnlySpan<double> floors, ReadOnlySpan<int> harm, double s, double measuredSpeed,
        double speedPenaltyDb, List<FaultEvidence>? evidence)
    {
        double score = 0;
        var df = c.Df;
        for (var j = 0; j < harm.Length; j++)
        {
            var i = harm[j];
            var expected = i * c.F0;
            var (peak, at) = PeakNear(ses, expected * s / df);
            var db = 20 * Math.Log10(peak / floors[j]);
            var mainTerm = Math.Clamp(db - LineOffsetDb, 0, 20);
            score += mainTerm;
            evidence?.Add(new FaultEvidence($"{c.Name} x{i}", expected, at * df, Math.Round(db, 2), c.Spectrum));
            if (c.Sideband > 0)
            {
                if ((expected + c.Sideband) * s / df + 1 > c.Last)
                {
                    continue;
                }

                var (lp, la) = PeakNear(ses, (expected - c.Sideband) * s / df);
                var (up, ua) = PeakNear(ses, (expected + c.Sideband) * s / df);
                var ldb = 20 * Math.Log10(lp / floors[j]);
                var udb = 20 * Math.Log10(up / floors[j]);
                var sbTerm = Math.Clamp(Math.Max(ldb, udb) - LineOffsetDb, 0, 15);
                // A sideband supports its carrier and counts no more than it: on bearings whose BPFI is close to a
                // whole number of shaft orders, BPFI ± 1× lands on another defect's harmonics or on a shaft-rate comb.
                score += 0.5 * Math.Min(sbTerm, mainTerm);
                if (evidence is not null)
                {
                    evidence.Add(new FaultEvidence($"{c.Name} x{i} - {c.SidebandName}", expected - c.Sideband, la * df, Math.Round(ldb, 2), c.Spectrum));
                    evidence.Add(new FaultEvidence($"{c.Name} x{i} + {c.SidebandName}", expected + c.Sideband, ua * df, Math.Round(udb, 2), c.Spectrum));
                }
            }
        }

        // All defect frequencies move with the one shaft speed: a family that lines up only at a speed far from the one
        // the shaft's own lines show belongs to something else (a comb of shaft harmonics, another defect's lines).
        var dev = (s - measuredSpeed) / c.Tol;
        return Math.Max(0, score - speedPenaltyDb * dev * dev);
    }

    private static bool CoincidesWithRaceLine(FaultFrequencies o, double frequency, double shaftHz, int harmonics, double tol, double df)
    {
        var window = 2 * tol * frequency + 2 * df;
        for (var j = 1; j <= 2 * harmonics + 1; j++)
        {
            if (Math.Abs(j * o.Bpfo * shaftHz - frequency) <= window || Math.Abs(j * o.Bpfi * shaftHz - frequency) <= window)
            {
                return true;
            }
        }

        return false;
    }

    private static (double Peak, int At) PeakNear(ReadOnlySpan<double> ses, double bin)
    {
        var c = (int)Math.Round(bin);
        var best = 0.0;
        var at = c;
        for (var k = Math.Max(1, c - 1); k <= Math.Min(ses.Length - 1, c + 1); k++)
        {
            if (ses[k] > best)
            {
                best = ses[k];
                at = k;
            }
        }

        return (Math.Max(best, 1e-300), at);
    }
}
