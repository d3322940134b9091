namespace TwinCluster.Analytics.Fft;

/// <summary>
/// Planned FFT of a real signal of power-of-two length N, computed as an N/2-point complex FFT of the even/odd
/// samples and one split pass. Output bins 0..N/2 (inclusive). One instance is not thread-safe (it owns scratch).
/// </summary>
public sealed class RealFft
{
    private readonly ComplexFft _half;
    private readonly double[] _zr;
    private readonly double[] _zi;
    private readonly double[] _wr;
    private readonly double[] _wi;

    /// <summary>Creates a plan for real transforms of <paramref name="length"/> points (a power of two, at least 8).</summary>
    public RealFft(int length)
    {
        if (length < 8 || (length & (length - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Real FFT length must be a power of two, at least 8.");
        }

        Length = length;
        var m = length / 2;
        _half = new ComplexFft(m);
        _zr = new double[m];
        _zi = new double[m];
        _wr = new double[m];
        _wi = new double[m];
        for (var k = 0; k < m; k++)
        {
            var angle = -2.0 * Math.PI * k / length;
            _wr[k] = Math.Cos(angle);
            _wi[k] = Math.Sin(angle);
        }
    }

    /// <summary>Number of real input points.</summary>
    public int Length { get; }

    /// <summary>Number of output bins, N/2 + 1.</summary>
    public int BinCount => Length / 2 + 1;

    /// <summary>
    /// Transforms <paramref name="input"/> (N samples) into bins 0..N/2 written to <paramref name="re"/> and
    /// <paramref name="im"/> (each at least N/2 + 1 long). Unscaled, sign convention e^{-2πi kn/N}.
    /// </summary>
    public void Forward(ReadOnlySpan<double> input, Span<double> re, Span<double> im)
    {
        var m = Length / 2;
        if (input.Length < Length || re.Length < m + 1 || im.Length < m + 1)
        {
            throw new ArgumentException("Buffers are too short for this plan.");
        }

        var zr = _zr;
        var zi = _zi;
        for (var k = 0; k < m; k++)
        {
            zr[k] = input[2 * k];
            zi[k] = input[2 * k + 1];
        }

        _half.Forward(zr, zi);

        // X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[m-k]) / 2, O = -i (Z[k] - conj Z[m-k]) / 2.
        re[0] = zr[0] + zi[0];
        im[0] = 0;
        re[m] = zr[0] - zi[0];
        im[m] = 0;
        var wr = _wr;
        var wi = _wi;
        for (var k = 1; k < m; k++)
        {
            double ar = zr[k], ai = zi[k];
            double br = zr[m - k], bi = -zi[m - k];
            var er = 0.5 * (ar + br);
            var ei = 0.5 * (ai + bi);
            // (a - b) / 2 times -i: (x + iy)(-i) = y - ix
            var dr = 0.5 * (ar - br);
            var di = 0.5 * (ai - bi);
            var or = di;
            var oi = -dr;
            re[k] = er + (wr[k] * or - wi[k] * oi);
            im[k] = ei + (wr[k] * oi + wi[k] * or);
        }
    }
}
