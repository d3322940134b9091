namespace TwinCluster.Analytics.Internal;

internal static class Stats
{
    /// <summary>Median by quickselect; reorders <paramref name="values"/>.</summary>
    public static double Median(Span<double> values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var k = values.Length / 2;
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            var pivot = values[(lo + hi) >> 1];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }

    public static int NextPowerOfTwo(int v)
    {
        var p = 1;
        while (p < v)
        {
            p <<= 1;
        }

        return p;
    }

    /// <summary>The largest power of two not above <paramref name="v"/> (v ≥ 1).</summary>
    public static int PreviousPowerOfTwo(int v)
    {
        var p = 1;
        while (p <= v / 2)
        {
            p <<= 1;
        }

        return p;
    }
}
