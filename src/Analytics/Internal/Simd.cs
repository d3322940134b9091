using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TwinCluster.Analytics.Internal;

/// <summary>Vectorised loops of the analysis hot path (scalar tails and fallbacks included).</summary>
internal static class Simd
{
    /// <summary>
    /// Mean, central moments 2 and 4 and the peak |x - mean| in one pass: raw moments of x - x[0] (shifting by a sample
    /// keeps them of the signal's own scale, so a DC offset does not cancel digits), converted to central ones.
    /// </summary>
    public static (double Mean, double M2, double M4, double Peak) Moments(ReadOnlySpan<double> x)
    {
        ref var r = ref MemoryMarshal.GetReference(x);
        var n = x.Length;
        var shift = x[0];
        var i = 0;
        double sum = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, lo = 0, hi = 0;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            var c = Vector256.Create(shift);
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            var a2 = Vector256<double>.Zero;
            var a3 = Vector256<double>.Zero;
            var a4 = Vector256<double>.Zero;
            var vlo = Vector256<double>.Zero;
            var vhi = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                var d = v - c;
                var d2 = d * d;
                a0 += v;
                a1 += d;
                a2 += d2;
                a3 += d2 * d;
                a4 += d2 * d2;
                vlo = Vector256.Min(vlo, d);
                vhi = Vector256.Max(vhi, d);
            }

            sum = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
            s2 = Vector256.Sum(a2);
            s3 = Vector256.Sum(a3);
            s4 = Vector256.Sum(a4);
            lo = Math.Min(Math.Min(vlo[0], vlo[1]), Math.Min(vlo[2], vlo[3]));
            hi = Math.Max(Math.Max(vhi[0], vhi[1]), Math.Max(vhi[2], vhi[3]));
        }

        for (; i < n; i++)
        {
            var d = x[i] - shift;
            var d2 = d * d;
            sum += x[i];
            s1 += d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
            lo = Math.Min(lo, d);
            hi = Math.Max(hi, d);
        }

        var mu = s1 / n;
        var e2 = s2 / n;
        var m2 = Math.Max(0, e2 - mu * mu);
        var m4 = Math.Max(0, s4 / n - 4 * mu * (s3 / n) + 6 * mu * mu * e2 - 3 * mu * mu * mu * mu);
        // The mean itself is summed plainly, as the spectra subtract it (the same rounding on every path).
        return (sum / n, m2, m4, Math.Max(hi - mu, mu - lo));
    }

    /// <summary>accumulator[i] += re[i]² + im[i]².</summary>
    public static void AccumulateSquaredMagnitude(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> accumulator)
    {
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        ref var a = ref MemoryMarshal.GetReference(accumulator);
        var n = accumulator.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var x = Vector256.LoadUnsafe(ref r, (nuint)i);
                var y = Vector256.LoadUnsafe(ref m, (nuint)i);
                (Vector256.LoadUnsafe(ref a, (nuint)i) + x * x + y * y).StoreUnsafe(ref a, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            accumulator[i] += re[i] * re[i] + im[i] * im[i];
        }
    }

    /// <summary>destination[i] = (source[i] - offset) * window[i].</summary>
    public static void SubtractMultiply(ReadOnlySpan<double> source, double offset, ReadOnlySpan<double> window, Span<double> destination)
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var w = ref MemoryMarshal.GetReference(window);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = destination.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var o = Vector256.Create(offset);
            for (; i <= n - 4; i += 4)
            {
                ((Vector256.LoadUnsafe(ref s, (nuint)i) - o) * Vector256.LoadUnsafe(ref w, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            destination[i] = (source[i] - offset) * window[i];
        }
    }

    /// <summary>Adds |X|² to <paramref name="power"/> and scales X to unit magnitude (zero bins stay zero).</summary>
    public static void AccumulatePowerAndWhiten(Span<double> re, Span<double> im, Span<double> power)
    {
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        ref var p = ref MemoryMarshal.GetReference(power);
        var n = power.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var tiny = Vector256.Create(1e-300);
            var one = Vector256.Create(1.0);
            for (; i <= n - 4; i += 4)
            {
                var u = (nuint)i;
                var a = Vector256.LoadUnsafe(ref r, u);
                var b = Vector256.LoadUnsafe(ref m, u);
                var q = a * a + b * b;
                (Vector256.LoadUnsafe(ref p, u) + q).StoreUnsafe(ref p, u);
                var inv = Vector256.ConditionalSelect(Vector256.GreaterThan(q, tiny), one / Vector256.Sqrt(q), Vector256<double>.Zero);
                (a * inv).StoreUnsafe(ref r, u);
                (b * inv).StoreUnsafe(ref m, u);
            }
        }

        for (; i < n; i++)
        {
            var q = re[i] * re[i] + im[i] * im[i];
            power[i] += q;
            var inv = q > 1e-300 ? 1 / Math.Sqrt(q) : 0;
            re[i] *= inv;
            im[i] *= inv;
        }
    }

    /// <summary>destination[i] = re[i]² + im[i]².</summary>
    public static void SquaredMagnitude(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> destination)
    {
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = destination.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var a = Vector256.LoadUnsafe(ref r, (nuint)i);
                var b = Vector256.LoadUnsafe(ref m, (nuint)i);
                (a * a + b * b).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            destination[i] = re[i] * re[i] + im[i] * im[i];
        }
    }

    /// <summary>
    /// destination[j] = (re[j] + s_j cRe)² + (im[j] + s_j cIm)², with s_j = (-1)^j when <paramref name="alternate"/>, else 1.
    /// </summary>
    public static void SquaredMagnitudeOffset(ReadOnlySpan<double> re, ReadOnlySpan<double> im, double cRe, double cIm, bool alternate, Span<double> destination)
    {
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = destination.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var sign = alternate ? Vector256.Create(1.0, -1.0, 1.0, -1.0) : Vector256<double>.One;
            var vr = sign * Vector256.Create(cRe);
            var vi = sign * Vector256.Create(cIm);
            for (; i <= n - 4; i += 4)
            {
                var a = Vector256.LoadUnsafe(ref r, (nuint)i) + vr;
                var b = Vector256.LoadUnsafe(ref m, (nuint)i) + vi;
                (a * a + b * b).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            var s = alternate && (i & 1) != 0 ? -1.0 : 1.0;
            var a = re[i] + s * cRe;
            var b = im[i] + s * cIm;
            destination[i] = a * a + b * b;
        }
    }

    /// <summary>Sums of x·w and (x·w)² over the span.</summary>
    public static (double S1, double S2) WeightedMoments(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        ref var a = ref MemoryMarshal.GetReference(x);
        ref var b = ref MemoryMarshal.GetReference(w);
        var n = x.Length;
        var i = 0;
        double s1 = 0, s2 = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var v1 = Vector256<double>.Zero;
            var v2 = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var u = Vector256.LoadUnsafe(ref a, (nuint)i) * Vector256.LoadUnsafe(ref b, (nuint)i);
                v1 += u;
                v2 += u * u;
            }

            s1 = Vector256.Sum(v1);
            s2 = Vector256.Sum(v2);
        }

        for (; i < n; i++)
        {
            var u = x[i] * w[i];
            s1 += u;
            s2 += u * u;
        }

        return (s1, s2);
    }
}
