using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TwinCluster.Analytics.Fft;

/// <summary>
/// Planned in-place complex FFT of a power-of-two length on split real/imaginary arrays.
/// Twiddles and the bit-reversal permutation are computed once; transforms allocate nothing. One instance is not
/// thread-safe (it owns scratch).
/// Forward uses e^{-2πi kn/N} and no scaling; <see cref="Inverse"/> scales by 1/N.
/// </summary>
public sealed class ComplexFft
{
    // Points per block for the stages that fit in L1 (re + im: 16 KB); a power of 4 so whole radix-4 stages fit.
    private const int CacheBlock = 1024;

    // Twiddles of the stage with half-size h live at [h, 2h): w_j = e^{-iπ j/h}, j < h.
    private readonly double[] _twRe;
    private readonly double[] _twIm;
    private readonly int[] _reverse;
    private readonly double[] _scratchRe;
    private readonly double[] _scratchIm;

    /// <summary>Creates a plan for transforms of <paramref name="length"/> points (a power of two, at least 4).</summary>
    public ComplexFft(int length)
    {
        if (length < 4 || (length & (length - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be a power of two, at least 4.");
        }

        Length = length;
        _twRe = new double[length];
        _twIm = new double[length];
        for (var h = 1; h < length; h <<= 1)
        {
            for (var j = 0; j < h; j++)
            {
                var angle = -Math.PI * j / h;
                _twRe[h + j] = Math.Cos(angle);
                _twIm[h + j] = Math.Sin(angle);
            }
        }

        var bits = System.Numerics.BitOperations.Log2((uint)length);
        _reverse = new int[length];
        for (var i = 0; i < length; i++)
        {
            _reverse[i] = (int)(ReverseBits((uint)i) >> (32 - bits));
        }

        _scratchRe = new double[length];
        _scratchIm = new double[length];
    }

    /// <summary>Number of points per transform.</summary>
    public int Length { get; }

    /// <summary>In-place forward transform.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        if (re.Length < Length || im.Length < Length)
        {
            throw new ArgumentException("Buffers are shorter than the FFT length.");
        }

        Transform(ref MemoryMarshal.GetReference(re), ref MemoryMarshal.GetReference(im));
    }

    /// <summary>In-place inverse transform, scaled by 1/N.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        if (re.Length < Length || im.Length < Length)
        {
            throw new ArgumentException("Buffers are shorter than the FFT length.");
        }

        // ifft(x) = swap(fft(swap(x))) / N: swapping real and imaginary parts conjugates up to a factor i.
        Transform(ref MemoryMarshal.GetReference(im), ref MemoryMarshal.GetReference(re));
        var scale = 1.0 / Length;
        ScaleInPlace(re[..Length], scale);
        ScaleInPlace(im[..Length], scale);
    }

    /// <summary>In-place inverse transform without the 1/N scaling (for scale-free uses such as envelope shape).</summary>
    internal void InverseUnscaled(Span<double> re, Span<double> im)
    {
        if (re.Length < Length || im.Length < Length)
        {
            throw new ArgumentException("Buffers are shorter than the FFT length.");
        }

        Transform(ref MemoryMarshal.GetReference(im), ref MemoryMarshal.GetReference(re));
    }

    private static void ScaleInPlace(Span<double> data, double scale)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var d = ref MemoryMarshal.GetReference(data);
            var s = Vector256.Create(scale);
            for (; i <= data.Length - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref d, (nuint)i) * s).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] *= scale;
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }

    /// <summary>
    /// Forward transform of complex samples stored interleaved (re, im, re, im, ...), e.g. a real signal read as
    /// even/odd pairs, into split arrays: the first pass gathers straight from the pairs, with no deinterleaving pass.
    /// </summary>
    internal void ForwardInterleaved(ReadOnlySpan<double> interleaved, Span<double> re, Span<double> im)
    {
        if (interleaved.Length < 2 * Length || re.Length < Length || im.Length < Length)
        {
            throw new ArgumentException("Buffers are shorter than the FFT length.");
        }

        ref var x = ref MemoryMarshal.GetReference(interleaved);
        ref var sr = ref MemoryMarshal.GetArrayDataReference(_scratchRe);
        ref var si = ref MemoryMarshal.GetArrayDataReference(_scratchIm);
        var rev = _reverse;
        for (var s = 0; s < Length; s += 4)
        {
            var ia = 2 * rev[s];
            var ib = 2 * rev[s + 1];
            var ic = 2 * rev[s + 2];
            var id = 2 * rev[s + 3];
            FirstButterfly(
                ref sr, ref si, s,
                Unsafe.Add(ref x, ia), Unsafe.Add(ref x, ia + 1), Unsafe.Add(ref x, ib), Unsafe.Add(ref x, ib + 1),
                Unsafe.Add(ref x, ic), Unsafe.Add(ref x, ic + 1), Unsafe.Add(ref x, id), Unsafe.Add(ref x, id + 1));
        }

        Passes(ref MemoryMarshal.GetReference(re), ref MemoryMarshal.GetReference(im));
    }

    private void Transform(ref double inRe, ref double inIm)
    {
        var n = Length;
        var rev = _reverse;
        ref var re = ref MemoryMarshal.GetArrayDataReference(_scratchRe);
        ref var im = ref MemoryMarshal.GetArrayDataReference(_scratchIm);

        // The bit-reversal permutation is folded into the first pass (stages h=1 and h=2 as one radix-4 butterfly
        // with twiddles 1 and -i), gathering into scratch; the remaining passes run there and the result is copied back.
        for (var s = 0; s < n; s += 4)
        {
            var ia = rev[s];
            var ib = rev[s + 1];
            var ic = rev[s + 2];
            var id = rev[s + 3];
            FirstButterfly(
                ref re, ref im, s,
                Unsafe.Add(ref inRe, ia), Unsafe.Add(ref inIm, ia), Unsafe.Add(ref inRe, ib), Unsafe.Add(ref inIm, ib),
                Unsafe.Add(ref inRe, ic), Unsafe.Add(ref inIm, ic), Unsafe.Add(ref inRe, id), Unsafe.Add(ref inIm, id));
        }

        Passes(ref inRe, ref inIm);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FirstButterfly(ref double re, ref double im, int s, double ar, double ai, double br, double bi, double cr, double ci, double dr, double di)
    {
        double t0r = ar + br, t0i = ai + bi, t1r = ar - br, t1i = ai - bi;
        double t2r = cr + dr, t2i = ci + di, t3r = cr - dr, t3i = ci - di;
        ref var r0 = ref Unsafe.Add(ref re, s);
        ref var i0 = ref Unsafe.Add(ref im, s);
        r0 = t0r + t2r;
        i0 = t0i + t2i;
        Unsafe.Add(ref r0, 2) = t0r - t2r;
        Unsafe.Add(ref i0, 2) = t0i - t2i;
        // t3 * (-i) = (t3i, -t3r)
        Unsafe.Add(ref r0, 1) = t1r + t3i;
        Unsafe.Add(ref i0, 1) = t1i - t3r;
        Unsafe.Add(ref r0, 3) = t1r - t3i;
        Unsafe.Add(ref i0, 3) = t1i + t3r;
    }

    // The passes after the first, from scratch; the last one writes (inRe, inIm), the caller's output arrays.
    private void Passes(ref double inRe, ref double inIm)
    {
        var n = Length;
        ref var re = ref MemoryMarshal.GetArrayDataReference(_scratchRe);
        ref var im = ref MemoryMarshal.GetArrayDataReference(_scratchIm);
        ref var twr = ref MemoryMarshal.GetArrayDataReference(_twRe);
        ref var twi = ref MemoryMarshal.GetArrayDataReference(_twIm);
        if (n == 4)
        {
            _scratchRe.AsSpan(0, n).CopyTo(MemoryMarshal.CreateSpan(ref inRe, n));
            _scratchIm.AsSpan(0, n).CopyTo(MemoryMarshal.CreateSpan(ref inIm, n));
            return;
        }

        // Pairs of radix-2 stages fused into radix-4 passes halve the passes over memory; the last pass writes
        // straight back into the caller's arrays (each butterfly reads its inputs before writing).
        var h = 4;
        if (n > CacheBlock)
        {
            // Stages whose butterflies stay within a block run block by block while the block is in L1; the same
            // butterflies in the same order per element, so the result is bit-identical to stage-by-stage passes.
            for (var block = 0; block < n; block += CacheBlock)
            {
                ref var br = ref Unsafe.Add(ref re, block);
                ref var bi = ref Unsafe.Add(ref im, block);
                for (var hb = 4; hb * 4 <= CacheBlock; hb *= 4)
                {
                    Radix4Stage(ref br, ref bi, ref br, ref bi, ref twr, ref twi, hb, CacheBlock);
                }
            }

            while (h * 4 <= CacheBlock)
            {
                h *= 4;
            }
        }

        for (; h * 2 < n; h *= 4)
        {
            if (h * 4 == n)
            {
                Radix4Stage(ref re, ref im, ref inRe, ref inIm, ref twr, ref twi, h, n);
            }
            else
            {
                Radix4Stage(ref re, ref im, ref re, ref im, ref twr, ref twi, h, n);
            }
        }

        if (h < n)
        {
            Radix2Stage(ref re, ref im, ref inRe, ref inIm, ref twr, ref twi, h, n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Radix2Stage(ref double re, ref double im, ref double outRe, ref double outIm, ref double twr, ref double twi, int h, int n)
    {
        for (var s = 0; s < n; s += 2 * h)
        {
            ref var ar = ref Unsafe.Add(ref re, s);
            ref var ai = ref Unsafe.Add(ref im, s);
            ref var br = ref Unsafe.Add(ref re, s + h);
            ref var bi = ref Unsafe.Add(ref im, s + h);
            ref var oar = ref Unsafe.Add(ref outRe, s);
            ref var oai = ref Unsafe.Add(ref outIm, s);
            ref var obr = ref Unsafe.Add(ref outRe, s + h);
            ref var obi = ref Unsafe.Add(ref outIm, s + h);
            ref var wr = ref Unsafe.Add(ref twr, h);
            ref var wi = ref Unsafe.Add(ref twi, h);
            var j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j < h; j += 4)
                {
                    var u = (nuint)j;
                    var xr = Vector256.LoadUnsafe(ref br, u);
                    var xi = Vector256.LoadUnsafe(ref bi, u);
                    var cr = Vector256.LoadUnsafe(ref wr, u);
                    var ci = Vector256.LoadUnsafe(ref wi, u);
                    var tr = xr * cr - xi * ci;
                    var ti = xr * ci + xi * cr;
                    var yr = Vector256.LoadUnsafe(ref ar, u);
                    var yi = Vector256.LoadUnsafe(ref ai, u);
                    (yr + tr).StoreUnsafe(ref oar, u);
                    (yi + ti).StoreUnsafe(ref oai, u);
                    (yr - tr).StoreUnsafe(ref obr, u);
                    (yi - ti).StoreUnsafe(ref obi, u);
                }
            }

            for (; j < h; j++)
            {
                double xr = Unsafe.Add(ref br, j), xi = Unsafe.Add(ref bi, j);
                double cr = Unsafe.Add(ref wr, j), ci = Unsafe.Add(ref wi, j);
                double tr = xr * cr - xi * ci, ti = xr * ci + xi * cr;
                double yr = Unsafe.Add(ref ar, j), yi = Unsafe.Add(ref ai, j);
                Unsafe.Add(ref oar, j) = yr + tr;
                Unsafe.Add(ref oai, j) = yi + ti;
                Unsafe.Add(ref obr, j) = yr - tr;
                Unsafe.Add(ref obi, j) = yi - ti;
            }
        }
    }

    // Two radix-2 DIT stages (half-sizes h and 2h) at once. For a block of 4h points with quarters x0..x3:
    // stage h combines (x0,x1) and (x2,x3) with w_h^j; stage 2h combines the results with w_2h^j and w_2h^{j+h}.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Radix4Stage(ref double re, ref double im, ref double outRe, ref double outIm, ref double twr, ref double twi, int h, int n)
    {
        var h2 = 2 * h;
        for (var s = 0; s < n; s += 4 * h)
        {
            ref var r0 = ref Unsafe.Add(ref re, s);
            ref var i0 = ref Unsafe.Add(ref im, s);
            ref var r1 = ref Unsafe.Add(ref re, s + h);
            ref var i1 = ref Unsafe.Add(ref im, s + h);
            ref var r2 = ref Unsafe.Add(ref re, s + h2);
            ref var i2 = ref Unsafe.Add(ref im, s + h2);
            ref var r3 = ref Unsafe.Add(ref re, s + h2 + h);
            ref var i3 = ref Unsafe.Add(ref im, s + h2 + h);
            ref var o0r = ref Unsafe.Add(ref outRe, s);
            ref var o0i = ref Unsafe.Add(ref outIm, s);
            ref var o1r = ref Unsafe.Add(ref outRe, s + h);
            ref var o1i = ref Unsafe.Add(ref outIm, s + h);
            ref var o2r = ref Unsafe.Add(ref outRe, s + h2);
            ref var o2i = ref Unsafe.Add(ref outIm, s + h2);
            ref var o3r = ref Unsafe.Add(ref outRe, s + h2 + h);
            ref var o3i = ref Unsafe.Add(ref outIm, s + h2 + h);
            ref var w1r = ref Unsafe.Add(ref twr, h);
            ref var w1i = ref Unsafe.Add(ref twi, h);
            ref var w2r = ref Unsafe.Add(ref twr, h2);
            ref var w2i = ref Unsafe.Add(ref twi, h2);
            var j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j < h; j += 4)
                {
                    var u = (nuint)j;
                    var ar = Vector256.LoadUnsafe(ref r0, u);
                    var ai = Vector256.LoadUnsafe(ref i0, u);
                    var br = Vector256.LoadUnsafe(ref r1, u);
                    var bi = Vector256.LoadUnsafe(ref i1, u);
                    var cr = Vector256.LoadUnsafe(ref r2, u);
                    var ci = Vector256.LoadUnsafe(ref i2, u);
                    var dr = Vector256.LoadUnsafe(ref r3, u);
                    var di = Vector256.LoadUnsafe(ref i3, u);
                    var wr = Vector256.LoadUnsafe(ref w1r, u);
                    var wi = Vector256.LoadUnsafe(ref w1i, u);
                    // first stage
                    var tbr = br * wr - bi * wi;
                    var tbi = br * wi + bi * wr;
                    var tdr = dr * wr - di * wi;
                    var tdi = dr * wi + di * wr;
                    var a0r = ar + tbr;
                    var a0i = ai + tbi;
                    var a1r = ar - tbr;
                    var a1i = ai - tbi;
                    var c0r = cr + tdr;
                    var c0i = ci + tdi;
                    var c1r = cr - tdr;
                    var c1i = ci - tdi;
                    // second stage: w_2h^j on c0, w_2h^{j+h} = -i w_2h^j on c1
                    var vr = Vector256.LoadUnsafe(ref w2r, u);
                    var vi = Vector256.LoadUnsafe(ref w2i, u);
                    var e0r = c0r * vr - c0i * vi;
                    var e0i = c0r * vi + c0i * vr;
                    var e1r = c1r * vr - c1i * vi;
                    var e1i = c1r * vi + c1i * vr;
                    // multiply e1 by -i: (e1i, -e1r)
                    (a0r + e0r).StoreUnsafe(ref o0r, u);
                    (a0i + e0i).StoreUnsafe(ref o0i, u);
                    (a0r - e0r).StoreUnsafe(ref o2r, u);
                    (a0i - e0i).StoreUnsafe(ref o2i, u);
                    (a1r + e1i).StoreUnsafe(ref o1r, u);
                    (a1i - e1r).StoreUnsafe(ref o1i, u);
                    (a1r - e1i).StoreUnsafe(ref o3r, u);
                    (a1i + e1r).StoreUnsafe(ref o3i, u);
                }
            }

            for (; j < h; j++)
            {
                double ar = Unsafe.Add(ref r0, j), ai = Unsafe.Add(ref i0, j);
                double br = Unsafe.Add(ref r1, j), bi = Unsafe.Add(ref i1, j);
                double cr = Unsafe.Add(ref r2, j), ci = Unsafe.Add(ref i2, j);
                double dr = Unsafe.Add(ref r3, j), di = Unsafe.Add(ref i3, j);
                double wr = Unsafe.Add(ref w1r, j), wi = Unsafe.Add(ref w1i, j);
                double tbr = br * wr - bi * wi, tbi = br * wi + bi * wr;
                double tdr = dr * wr - di * wi, tdi = dr * wi + di * wr;
                double a0r = ar + tbr, a0i = ai + tbi, a1r = ar - tbr, a1i = ai - tbi;
                double c0r = cr + tdr, c0i = ci + tdi, c1r = cr - tdr, c1i = ci - tdi;
                double vr = Unsafe.Add(ref w2r, j), vi = Unsafe.Add(ref w2i, j);
                double e0r = c0r * vr - c0i * vi, e0i = c0r * vi + c0i * vr;
                double e1r = c1r * vr - c1i * vi, e1i = c1r * vi + c1i * vr;
                Unsafe.Add(ref o0r, j) = a0r + e0r;
                Unsafe.Add(ref o0i, j) = a0i + e0i;
                Unsafe.Add(ref o2r, j) = a0r - e0r;
                Unsafe.Add(ref o2i, j) = a0i - e0i;
                Unsafe.Add(ref o1r, j) = a1r + e1i;
                Unsafe.Add(ref o1i, j) = a1i - e1r;
                Unsafe.Add(ref o3r, j) = a1r - e1i;
                Unsafe.Add(ref o3i, j) = a1i + e1r;
            }
        }
    }
}
