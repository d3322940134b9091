namespace TwinCluster.Analytics.Prognostics;

/// <summary>The IEEE PHM 2012 prognostic challenge scoring of RUL predictions.</summary>
public static class PhmScore
{
    /// <summary>
    /// Accuracy of one prediction: Er = 100 (actual - predicted) / actual; exp(-ln(0.5) Er / 5) when Er ≤ 0
    /// (late predictions halve every 5 %), exp(ln(0.5) Er / 20) otherwise (early ones every 20 %).
    /// </summary>
    public static double Accuracy(double actualRul, double predictedRul)
    {
        if (actualRul <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(actualRul), "Actual RUL must be positive.");
        }

        var er = 100 * (actualRul - predictedRul) / actualRul;
        return er <= 0 ? Math.Exp(-Math.Log(0.5) * er / 5) : Math.Exp(Math.Log(0.5) * er / 20);
    }

    /// <summary>Mean accuracy over pairs of (actual, predicted).</summary>
    public static double Mean(IReadOnlyList<(double Actual, double Predicted)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            return 0;
        }

        double sum = 0;
        foreach (var (a, p) in pairs)
        {
            sum += Accuracy(a, p);
        }

        return sum / pairs.Count;
    }

    /// <summary>The single constant prediction with the best mean accuracy for these actual RULs, and that accuracy.</summary>
    public static (double Constant, double Score) BestConstant(IReadOnlyList<double> actualRuls)
    {
        ArgumentNullException.ThrowIfNull(actualRuls);
        var best = (Constant: 0.0, Score: double.NegativeInfinity);
        var max = actualRuls.Max() * 2;
        // Fine logarithmic grid plus every actual value (the optimum sits at or near one of them).
        var candidates = Enumerable.Range(0, 2001).Select(i => max * Math.Pow(10, -4 + 4.0 * i / 2000)).Concat(actualRuls);
        foreach (var c in candidates)
        {
            double sum = 0;
            foreach (var a in actualRuls)
            {
                sum += Accuracy(a, c);
            }

            var score = sum / actualRuls.Count;
            if (score > best.Score)
            {
                best = (c, score);
            }
        }

        return best;
    }
}
