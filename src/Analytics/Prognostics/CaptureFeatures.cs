namespace TwinCluster.Analytics.Prognostics;

/// <summary>Degradation features of one capture.</summary>
/// <param name="TimeSeconds">When the capture was taken.</param>
/// <param name="Rms">RMS acceleration (mean removed).</param>
/// <param name="Peak">Largest absolute acceleration.</param>
/// <param name="Kurtosis">Normalised fourth moment.</param>
public sealed record CaptureFeatures(double TimeSeconds, double Rms, double Peak, double Kurtosis)
{
    /// <summary>Features of one channel's samples.</summary>
    public static CaptureFeatures Compute(double timeSeconds, ReadOnlySpan<double> samples)
    {
        if (samples.IsEmpty)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        double sum = 0;
        foreach (var v in samples)
        {
            sum += v;
        }

        var mean = sum / samples.Length;
        double m2 = 0, m4 = 0, peak = 0;
        foreach (var v in samples)
        {
            var d = v - mean;
            m2 += d * d;
            m4 += d * d * d * d;
            peak = Math.Max(peak, Math.Abs(v));
        }

        m2 /= samples.Length;
        m4 /= samples.Length;
        return new CaptureFeatures(timeSeconds, Math.Sqrt(m2), peak, m2 > 0 ? m4 / (m2 * m2) : 0);
    }

    /// <summary>Combines channels of one capture: quadratic-mean RMS, largest peak, largest kurtosis.</summary>
    public static CaptureFeatures Combine(IReadOnlyList<CaptureFeatures> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var ms = channels.Average(c => c.Rms * c.Rms);
        return new CaptureFeatures(channels[0].TimeSeconds, Math.Sqrt(ms), channels.Max(c => c.Peak), channels.Max(c => c.Kurtosis));
    }
}
