using System.Collections.Immutable;

namespace TwinCluster.Analytics.Internal;

/// <summary>
/// How both analyzers end a diagnosis once every bearing defect has its best line score: rank the defects (cage lines
/// need <see cref="CagePenaltyDb"/> more), report the best above the threshold with a confidence from its strength and
/// its margin over the runner-up, and otherwise call the window unknown (zone C or worse, impulsive, or a score near
/// the threshold) or normal.
/// </summary>
internal static class DefectVerdict
{
    /// <summary>Cage lines sit in the crowded low end of the envelope spectrum: they must score this much more.</summary>
    public const double CagePenaltyDb = 3;

    /// <summary>Kurtosis above which a window without a known signature is not normal.</summary>
    public const double ImpulsiveKurtosis = 5;

    /// <summary>Fraction of the threshold at which a defect score makes a window without a diagnosis unknown.</summary>
    public const double NearThreshold = 0.7;

    /// <summary>The ranked defects: index of the best (−1 for none), its adjusted score and the runner-up's.</summary>
    public readonly record struct Ranking(int Best, double BestScore, double Second);

    /// <summary>Ranks the defects by their best score and records each (unadjusted, rounded) in <paramref name="scores"/>.</summary>
    public static Ranking Rank(ReadOnlySpan<FaultKind> kinds, ReadOnlySpan<double> kindBest, ImmutableDictionary<FaultKind, double>.Builder scores)
    {
        var best = -1;
        var bestScore = 0.0;
        var second = 0.0;
        for (var c = 0; c < kinds.Length; c++)
        {
            var adjusted = kinds[c] == FaultKind.Cage ? kindBest[c] - CagePenaltyDb : kindBest[c];
            scores[kinds[c]] = Math.Round(kindBest[c], 2);
            if (adjusted > bestScore)
            {
                second = bestScore;
                bestScore = adjusted;
                best = c;
            }
            else if (adjusted > second)
            {
                second = adjusted;
            }
        }

        return new Ranking(best, bestScore, second);
    }

    /// <summary>True when the best defect is reported.</summary>
    public static bool IsDefect(Ranking ranking, double threshold) => ranking.Best >= 0 && ranking.BestScore >= threshold;

    /// <summary>Confidence of a reported defect: strength above the threshold times (½ + ½ margin over the runner-up).</summary>
    public static double DefectConfidence(Ranking ranking, double threshold)
    {
        var strength = Sigmoid((ranking.BestScore - threshold) / 6 + 1);
        var margin = Math.Clamp((ranking.BestScore - ranking.Second) / Math.Max(ranking.BestScore, 1e-9), 0, 1);
        return Math.Round(strength * (0.5 + 0.5 * margin), 3);
    }

    /// <summary>
    /// The diagnosis of a window with no reported defect (and no shaft fault): unknown when the zone is C or worse, the
    /// signal is impulsive or a defect scored near the threshold; otherwise normal, less confident the nearer the best score.
    /// </summary>
    public static Diagnosis NoDefect(Ranking ranking, double threshold, SeverityZone zone, double kurtosis, ImmutableDictionary<FaultKind, double>.Builder scores)
    {
        if (zone >= SeverityZone.C || kurtosis > ImpulsiveKurtosis || ranking.BestScore >= NearThreshold * threshold)
        {
            return new Diagnosis(FaultKind.Unknown, zone >= SeverityZone.C ? 0.7 : 0.5, [], scores.ToImmutable());
        }

        var normal = 1 - Sigmoid((ranking.BestScore - threshold) / 6 + 1);
        return new Diagnosis(FaultKind.Normal, Math.Round(Math.Clamp(normal, 0, 1), 3), [], scores.ToImmutable());
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
