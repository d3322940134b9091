namespace TwinCluster.Analytics.Prognostics;

/// <summary>
/// Health relative to a machine's own healthy baseline, for trending: 1 at or below the baseline, falling linearly in
/// decibels to 0 at <c>failureRatio</c> times the baseline (10×, i.e. +20 dB, by default).
/// </summary>
public static class BaselineHealth
{
    /// <summary>Health of <paramref name="value"/> (e.g. RMS acceleration) against <paramref name="baseline"/>.</summary>
    public static double Relative(double value, double baseline, double failureRatio = 10)
    {
        if (!(baseline > 0) || !(failureRatio > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(baseline), "Baseline must be positive and the failure ratio above 1.");
        }

        return Math.Clamp(1 - Math.Log(Math.Max(value, baseline) / baseline) / Math.Log(failureRatio), 0, 1);
    }

    /// <summary>The baseline of a series: the median of its first tenth (at least three values).</summary>
    public static double Baseline(ReadOnlySpan<double> series)
    {
        var n = Math.Min(series.Length, Math.Max(3, series.Length / 10));
        var head = series[..n].ToArray();
        Array.Sort(head);
        return head[n / 2];
    }
}
