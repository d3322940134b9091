namespace TwinCluster.Storage.History;

/// <summary>Count, min, max, sum and last of the points of one bucket; partial buckets merge (rollups, tiers).</summary>
public struct BucketAccumulator
{
    /// <summary>Points added.</summary>
    public long Count;

    /// <summary>Smallest value.</summary>
    public double Min;

    /// <summary>Largest value.</summary>
    public double Max;

    /// <summary>Sum of the values.</summary>
    public double Sum;

    /// <summary>The value with the latest time.</summary>
    public double Last;

    /// <summary>Ticks of <see cref="Last"/>.</summary>
    public long LastTicks;

    /// <summary>Adds one point; NaN is not a point.</summary>
    public void Add(double value, long ticks)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        Merge(1, value, value, value, value, ticks);
    }

    /// <summary>Adds a partial bucket.</summary>
    public void Merge(long count, double min, double max, double sum, double last, long lastTicks)
    {
        if (count <= 0)
        {
            return;
        }

        if (Count == 0)
        {
            (Min, Max) = (min, max);
        }
        else
        {
            Min = Math.Min(Min, min);
            Max = Math.Max(Max, max);
        }

        Count += count;
        Sum += sum;
        if (Count == count || lastTicks >= LastTicks)
        {
            (Last, LastTicks) = (last, lastTicks);
        }
    }

    /// <summary>Mean of the values (NaN when empty).</summary>
    public readonly double Mean => Count == 0 ? double.NaN : Sum / Count;
}
