using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace TwinCluster.Analytics.Tests;

/// <summary>
/// The textbook benchmark for bearing diagnosis (Randall, Antoni and Smith): cepstral pre-whitening of the whole
/// capture (every bin set to unit magnitude, i.e. the real cepstrum zeroed except at quefrency 0), a fixed demodulation
/// band, the squared envelope spectrum, and a diagnosis by which defect frequency's harmonics stand highest over the
/// local median. Written independently of the analyzer (MathNet's FFT, no shared code) so that it is a comparator.
/// </summary>
internal static class TextbookEnvelope
{
    /// <summary>The fixed band: from 500 Hz (above the defect harmonics) to 0.45 of the sample rate.</summary>
    public static (double LowHz, double HighHz) Band(double fs) => (500, 0.45 * fs);

    public sealed record Spectrum(double[] Ses, double Df);

    public static Spectrum SquaredEnvelopeSpectrum(double[] x, double fs)
    {
        var n = 1;
        while (n * 2 <= x.Length)
        {
            n *= 2;
        }

        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += x[i];
        }

        mean /= n;
        var spec = new Complex[n];
        for (var i = 0; i < n; i++)
        {
            spec[i] = new Complex(x[i] - mean, 0);
        }

        Fourier.Forward(spec, FourierOptions.Matlab);
        var df = fs / n;
        var (lo, hi) = Band(fs);
        // Pre-whitening and the analytic band-passed signal in one step: unit magnitude on the positive frequencies of
        // the band, zero elsewhere.
        for (var k = 0; k < n; k++)
        {
            var f = k * df;
            var keep = k < n / 2 && f >= lo && f <= hi;
            var mag = spec[k].Magnitude;
            spec[k] = keep && mag > 0 ? spec[k] / mag : Complex.Zero;
        }

        Fourier.Inverse(spec, FourierOptions.Matlab);
        var env = new Complex[n];
        double envMean = 0;
        for (var i = 0; i < n; i++)
        {
            var e = spec[i].Magnitude * spec[i].Magnitude;
            env[i] = new Complex(e, 0);
            envMean += e;
        }

        envMean /= n;
        for (var i = 0; i < n; i++)
        {
            env[i] -= envMean;
        }

        Fourier.Forward(env, FourierOptions.Matlab);
        var ses = new double[n / 2];
        for (var k = 0; k < ses.Length; k++)
        {
            ses[k] = env[k].Magnitude;
        }

        return new Spectrum(ses, df);
    }

    /// <summary>
    /// Diagnosis: for BPFO, BPFI and 2×BSF, the mean over three harmonics of the peak (within ±2 % of the expected
    /// frequency) in dB over the median of the spectrum within ±0.5 shaft orders of it; the highest above 6 dB wins,
    /// otherwise normal.
    /// </summary>
    public static (FaultKind Fault, double OuterDb, double InnerDb, double BallDb) Diagnose(double[] x, double fs, double shaftHz, BearingGeometry g, double thresholdDb = 6)
    {
        var (outer, inner, ball) = Levels(x, fs, shaftHz, g);
        var best = Math.Max(outer, Math.Max(inner, ball));
        var fault = best < thresholdDb ? FaultKind.Normal : best == outer ? FaultKind.OuterRace : best == inner ? FaultKind.InnerRace : FaultKind.Ball;
        return (fault, outer, inner, ball);
    }

    private static (double Outer, double Inner, double Ball) Levels(double[] x, double fs, double shaftHz, BearingGeometry g)
    {
        var s = SquaredEnvelopeSpectrum(x, fs);
        var o = g.FaultOrders();
        return (Level(s, o.Bpfo * shaftHz, shaftHz), Level(s, o.Bpfi * shaftHz, shaftHz), Level(s, 2 * o.Bsf * shaftHz, shaftHz));
    }

    /// <summary>
    /// The same method's threshold set by its own false-alarm rate instead of 6 dB: the highest of its three levels on
    /// Gaussian white noise of the same length, sample rate and speed, the largest over <paramref name="runs"/> noise
    /// records (about its 95th percentile with 20). Nothing in it comes from the captures but their length and speed.
    /// </summary>
    public static double NoiseThreshold(int length, double fs, double shaftHz, BearingGeometry g, int runs = 20)
    {
        var random = new Random(16);
        var x = new double[length];
        var worst = double.NegativeInfinity;
        for (var r = 0; r < runs; r++)
        {
            for (var i = 0; i < length; i++)
            {
                // Box-Muller.
                x[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            }

            var (outer, inner, ball) = Levels(x, fs, shaftHz, g);
            worst = Math.Max(worst, Math.Max(outer, Math.Max(inner, ball)));
        }

        return worst;
    }

    private static double Level(Spectrum s, double f0, double shaftHz)
    {
        double sum = 0;
        for (var h = 1; h <= 3; h++)
        {
            var f = h * f0;
            var a = (int)Math.Floor(f * 0.98 / s.Df);
            var z = (int)Math.Ceiling(f * 1.02 / s.Df);
            var peak = 0.0;
            for (var k = a; k <= z && k < s.Ses.Length; k++)
            {
                peak = Math.Max(peak, s.Ses[k]);
            }

            var wa = Math.Max(1, (int)((f - 0.5 * shaftHz) / s.Df));
            var wz = Math.Min(s.Ses.Length - 1, (int)((f + 0.5 * shaftHz) / s.Df));
            var window = s.Ses[wa..(wz + 1)].Order().ToArray();
            var median = window[window.Length / 2];
            sum += 20 * Math.Log10(Math.Max(peak, 1e-300) / Math.Max(median, 1e-300));
        }

        return sum / 3;
    }
}
