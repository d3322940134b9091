using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TwinCluster.Analytics.Internal;

/// <summary>Vectorised loops of the analysis hot path (scalar tails and fallbacks included).</summary>
internal static class Simd
{
    /// <summary>Sum, and the central moments 2 and 4 and the peak |x - mean|, in two passes.</summary>
    public static (double Mean, double M2, double M4, double Peak) Moments(ReadOnlySpan<double> x)
    {
        ref var r = ref MemoryMarshal.GetReference(x);
        var n = x.Length;
        var i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                acc += Vector256.LoadUnsafe(ref r, (nuint)i);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += x[i];
        }

        var mean = sum / n;
        double m2 = 0, m4 = 0, peak = 0;
        i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(mean);
            var a2 = Vector256<double>.Zero;
            var a4 = Vector256<double>.Zero;
            var pk = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var d = Vector256.LoadUnsafe(ref r, (nuint)i) - vm;
                var d2 = d * d;
                a2 += d2;
                a4 += d2 * d2;
                pk = Vector256.Max(pk, Vector256.Abs(d));
            }

            m2 = Vector256.Sum(a2);
            m4 = Vector256.Sum(a4);
            peak = Math.Max(Math.Max(pk[0], pk[1]), Math.Max(pk[2], pk[3]));
        }

        for (; i < n; i++)
        {
            var d = x[i] - mean;
            m2 += d * d;
            m4 += d * d * d * d;
            peak = Math.Max(peak, Math.Abs(d));
        }

        return (mean, m2 / n, m4 / n, peak);
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
