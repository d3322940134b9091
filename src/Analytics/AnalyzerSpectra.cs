using System.Collections.Immutable;

namespace TwinCluster.Analytics;

/// <summary>
/// The spectra of an analyser's latest window, reduced for display: point <c>i</c> of a spectrum stands for the
/// frequency <c>i × StepHz</c> and holds the largest bin it covers, so a line never disappears in the reduction.
/// </summary>
/// <param name="SpectrumStepHz">Frequency step of <paramref name="Spectrum"/>.</param>
/// <param name="Spectrum">Acceleration amplitude (RMS per bin, the input's unit) from 0 to half the sample rate.</param>
/// <param name="EnvelopeStepHz">Frequency step of <paramref name="Envelope"/>.</param>
/// <param name="Envelope">
/// Squared-envelope spectrum of <paramref name="EnvelopeBand"/> (the band the diagnosis rests on), of the pre-whitened
/// signal: relative units, for comparing lines with their floor. Empty when no band was usable.
/// </param>
/// <param name="EnvelopeBand">The demodulation band.</param>
public sealed record AnalyzerSpectra(
    double SpectrumStepHz,
    ImmutableArray<float> Spectrum,
    double EnvelopeStepHz,
    ImmutableArray<float> Envelope,
    FrequencyBand EnvelopeBand)
{
    /// <summary>Reduces <paramref name="values"/> to at most <paramref name="maxPoints"/> by the maximum of each run; returns the run length.</summary>
    public static (ImmutableArray<float> Values, int Factor) Reduce(ReadOnlySpan<double> values, int maxPoints, bool squareRoot = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var factor = Math.Max(1, (int)Math.Ceiling(values.Length / (double)maxPoints));
        var count = (values.Length + factor - 1) / factor;
        var result = new float[count];
        for (var i = 0; i < count; i++)
        {
            var max = 0.0;
            var end = Math.Min(values.Length, (i + 1) * factor);
            for (var k = i * factor; k < end; k++)
            {
                max = Math.Max(max, values[k]);
            }

            result[i] = (float)(squareRoot ? Math.Sqrt(max) : max);
        }

        return (ImmutableArray.Create(result), factor);
    }
}
