using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A compact latency distribution: counts in buckets 0.5 ms wide up to 10 ms, then 10 % wider each, up to about
/// 20 minutes; mergeable across twins, so a benchmark can report percentiles over a whole fleet.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.LatencyHistogram")]
public sealed record LatencyHistogram
{
    private const int LinearBuckets = 20;           // 0.5 ms each: [0, 10 ms)
    private const double LinearWidthMs = 0.5;
    private const double Growth = 1.1;
    private const int GeometricBuckets = 130;       // 10 ms · 1.1^130 ≈ 2.4e6 ms; the last bucket takes the rest

    /// <summary>The number of buckets.</summary>
    public const int BucketCount = LinearBuckets + GeometricBuckets;

    /// <summary>No observations.</summary>
    public static LatencyHistogram Empty { get; } = new() { Counts = ImmutableArray.Create(new long[BucketCount]) };

    /// <summary>Observations per bucket.</summary>
    [Id(0)] public ImmutableArray<long> Counts { get; init; }

    /// <summary>How many observations.</summary>
    public long Total => Counts.IsDefault ? 0 : Counts.Sum();

    /// <summary>The bucket an observation of <paramref name="milliseconds"/> falls in (negative counts as 0).</summary>
    public static int BucketOf(double milliseconds)
    {
        if (!(milliseconds > 0))
        {
            return 0;
        }

        if (milliseconds < LinearBuckets * LinearWidthMs)
        {
            return (int)(milliseconds / LinearWidthMs);
        }

        // Clamped as a double: an infinite (or enormous) delay must not overflow the cast.
        var index = LinearBuckets + Math.Log(milliseconds / (LinearBuckets * LinearWidthMs)) / Math.Log(Growth);
        return (int)Math.Min(index, BucketCount - 1);
    }

    /// <summary>The upper edge of bucket <paramref name="bucket"/> in milliseconds.</summary>
    public static double UpperEdgeMs(int bucket) => bucket < LinearBuckets
        ? (bucket + 1) * LinearWidthMs
        : LinearBuckets * LinearWidthMs * Math.Pow(Growth, bucket - LinearBuckets + 1);

    /// <summary>This histogram and <paramref name="other"/> together.</summary>
    public LatencyHistogram Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var sum = new long[BucketCount];
        for (var i = 0; i < BucketCount; i++)
        {
            sum[i] = Get(i) + other.Get(i);
        }

        return new LatencyHistogram { Counts = ImmutableArray.Create(sum) };
    }

    /// <summary>What this histogram holds beyond <paramref name="earlier"/> (a snapshot of the same recorder).</summary>
    public LatencyHistogram Minus(LatencyHistogram earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var difference = new long[BucketCount];
        for (var i = 0; i < BucketCount; i++)
        {
            difference[i] = Math.Max(0, Get(i) - earlier.Get(i));
        }

        return new LatencyHistogram { Counts = ImmutableArray.Create(difference) };
    }

    /// <summary>
    /// The value at quantile <paramref name="q"/> (0..1), as the upper edge of the bucket that holds it (an
    /// overestimate by at most one bucket width); null when empty.
    /// </summary>
    public double? Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        var total = Total;
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Get(i);
            if (seen >= rank)
            {
                return UpperEdgeMs(i);
            }
        }

        return UpperEdgeMs(BucketCount - 1);
    }

    private long Get(int i) => Counts.IsDefault ? 0 : Counts[i];
}

/// <summary>A mutable <see cref="LatencyHistogram"/> for one owner (a grain) to record into.</summary>
public sealed class LatencyRecorder
{
    private readonly long[] _counts = new long[LatencyHistogram.BucketCount];

    /// <summary>Records one observation.</summary>
    public void Record(double milliseconds) => _counts[LatencyHistogram.BucketOf(milliseconds)]++;

    /// <summary>A copy of what was recorded.</summary>
    public LatencyHistogram Snapshot() => new() { Counts = ImmutableArray.Create(_counts) };
}
