namespace TwinCluster.Storage.History;

/// <summary>Per-value count, min, max, sum and last of the rows of one (twin, layout) in one bucket of a resolution.</summary>
internal sealed class RollupAccumulator(int resolutionSeconds)
{
    private readonly long _ticks = TimeSpan.FromSeconds(resolutionSeconds).Ticks;

    public int Resolution { get; } = resolutionSeconds;

    public long BucketTicks { get; private set; } = long.MinValue;

    public long LastTicks { get; private set; }

    public int[] N { get; private set; } = [];

    public float[] Min { get; private set; } = [];

    public float[] Max { get; private set; } = [];

    public double[] Sum { get; private set; } = [];

    public float[] Last { get; private set; } = [];

    public bool IsEmpty => BucketTicks == long.MinValue;

    public long BucketOf(long ticks) => ticks - ((ticks - DateTime.UnixEpoch.Ticks) % _ticks + _ticks) % _ticks;

    public void Start(long bucketTicks, int width)
    {
        BucketTicks = bucketTicks;
        N = new int[width];
        Min = new float[width];
        Max = new float[width];
        Sum = new double[width];
        Last = new float[width];
        Array.Fill(Min, float.NaN);
        Array.Fill(Max, float.NaN);
        Array.Fill(Last, float.NaN);
    }

    public void Add(long ticks, float[] values)
    {
        LastTicks = ticks;
        var width = Math.Min(values.Length, N.Length);
        for (var i = 0; i < width; i++)
        {
            var v = values[i];
            if (float.IsNaN(v))
            {
                continue;
            }

            if (N[i] == 0)
            {
                Min[i] = v;
                Max[i] = v;
            }
            else
            {
                Min[i] = Math.Min(Min[i], v);
                Max[i] = Math.Max(Max[i], v);
            }

            N[i]++;
            Sum[i] += v;
            Last[i] = v;
        }
    }

    public void Clear() => BucketTicks = long.MinValue;
}
