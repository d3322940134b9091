using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

        // Even samples as real parts, odd as imaginary: the input read as interleaved complex pairs.
        var zr = _zr;
        var zi = _zi;
        _half.ForwardInterleaved(input[..Length], zr, zi);

        // X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[m-k]) / 2, O = -i (Z[k] - conj Z[m-k]) / 2.
        re[0] = zr[0] + zi[0];
        im[0] = 0;
        re[m] = zr[0] - zi[0];
        im[m] = 0;
        ref var pr = ref MemoryMarshal.GetArrayDataReference(zr);
        ref var pi = ref MemoryMarshal.GetArrayDataReference(zi);
        ref var wr = ref MemoryMarshal.GetArrayDataReference(_wr);
        ref var wi = ref MemoryMarshal.GetArrayDataReference(_wi);
        ref var outR = ref MemoryMarshal.GetReference(re);
        ref var outI = ref MemoryMarshal.GetReference(im);
        var k0 = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5);
            // Blocks k..k+3 pair with m-k-3..m-k, read as one vector and reversed.
            for (; k0 + 4 <= m; k0 += 4)
            {
                var u = (nuint)k0;
                var v = (nuint)(m - k0 - 3);
                var ar = Vector256.LoadUnsafe(ref pr, u);
                var ai = Vector256.LoadUnsafe(ref pi, u);
                var br = Vector256.Shuffle(Vector256.LoadUnsafe(ref pr, v), Vector256.Create(3L, 2, 1, 0));
                var bi = -Vector256.Shuffle(Vector256.LoadUnsafe(ref pi, v), Vector256.Create(3L, 2, 1, 0));
                var er = half * (ar + br);
                var ei = half * (ai + bi);
                var or = half * (ai - bi);
                var oi = half * (br - ar);
                var cr = Vector256.LoadUnsafe(ref wr, u);
                var ci = Vector256.LoadUnsafe(ref wi, u);
                (er + (cr * or - ci * oi)).StoreUnsafe(ref outR, u);
                (ei + (cr * oi + ci * or)).StoreUnsafe(ref outI, u);
            }
        }

        for (var k = k0; k < m; k++)
        {
            double ar = Unsafe.Add(ref pr, k), ai = Unsafe.Add(ref pi, k);
            double br = Unsafe.Add(ref pr, m - k), bi = -Unsafe.Add(ref pi, m - k);
            var er = 0.5 * (ar + br);
            var ei = 0.5 * (ai + bi);
            // (a - b) / 2 times -i: (x + iy)(-i) = y - ix
            var or = 0.5 * (ai - bi);
            var oi = -0.5 * (ar - br);
            double cr = Unsafe.Add(ref wr, k), ci = Unsafe.Add(ref wi, k);
            Unsafe.Add(ref outR, k) = er + (cr * or - ci * oi);
            Unsafe.Add(ref outI, k) = ei + (cr * oi + ci * or);
        }
    }
}
