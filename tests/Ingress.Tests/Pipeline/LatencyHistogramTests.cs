using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Ingress.Tests.Pipeline;

// LatencyHistogram lives in Grains.Interfaces; the ingress test project reaches it through its reference to Ingress.
public sealed class LatencyHistogramTests
{
    private static LatencyHistogram Of(params double[] milliseconds)
    {
        var recorder = new LatencyRecorder();
        foreach (var ms in milliseconds)
        {
            recorder.Record(ms);
        }

        return recorder.Snapshot();
    }

    [Theory]
    [InlineData(-3.0, 0)]
    [InlineData(double.NaN, 0)]
    [InlineData(0.0, 0)]
    [InlineData(0.49, 0)]
    [InlineData(0.5, 1)]
    [InlineData(3.2, 6)]
    [InlineData(9.99, 19)]
    [InlineData(10.0, 20)]
    [InlineData(10.5, 20)]
    [InlineData(11.5, 21)]
    [InlineData(1e12, LatencyHistogram.BucketCount - 1)]
    public void Observations_fall_in_the_documented_buckets(double milliseconds, int bucket)
    {
        Assert.Equal(bucket, LatencyHistogram.BucketOf(milliseconds));
    }

    [Fact]
    public void An_infinite_observation_falls_in_the_last_bucket()
    {
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(double.PositiveInfinity));
        var recorder = new LatencyRecorder();
        recorder.Record(double.PositiveInfinity);
        Assert.Equal(1, recorder.Snapshot().Counts[^1]);
    }

    [Fact]
    public void Upper_edges_are_half_a_millisecond_apart_to_10_ms_then_10_percent_apart()
    {
        Assert.Equal(0.5, LatencyHistogram.UpperEdgeMs(0));
        Assert.Equal(10.0, LatencyHistogram.UpperEdgeMs(19));
        Assert.Equal(11.0, LatencyHistogram.UpperEdgeMs(20), 9);
        Assert.Equal(12.1, LatencyHistogram.UpperEdgeMs(21), 9);
        // The last bucket ends past 20 minutes.
        Assert.True(LatencyHistogram.UpperEdgeMs(LatencyHistogram.BucketCount - 1) > 20 * 60 * 1000);
    }

    [Fact]
    public void Every_bucket_holds_the_values_between_its_edges()
    {
        for (var b = 0; b < LatencyHistogram.BucketCount; b++)
        {
            var lower = b == 0 ? 0 : LatencyHistogram.UpperEdgeMs(b - 1);
            var middle = (lower + LatencyHistogram.UpperEdgeMs(b)) / 2;
            Assert.True(LatencyHistogram.BucketOf(middle) == b, $"{middle} ms fell in bucket {LatencyHistogram.BucketOf(middle)}, not {b}");
            Assert.True(LatencyHistogram.UpperEdgeMs(b) > lower);
        }
    }

    [Fact]
    public void Quantiles_are_the_upper_edge_of_the_bucket_holding_the_rank()
    {
        // 10 at 0.2 ms (bucket 0), 80 at 3.2 ms (bucket 6, edge 3.5), 10 at 50 ms.
        var histogram = Of([.. Enumerable.Repeat(0.2, 10), .. Enumerable.Repeat(3.2, 80), .. Enumerable.Repeat(50.0, 10)]);
        var slowEdge = LatencyHistogram.UpperEdgeMs(LatencyHistogram.BucketOf(50));

        Assert.Equal(100, histogram.Total);
        Assert.Equal(0.5, histogram.Quantile(0));
        Assert.Equal(0.5, histogram.Quantile(0.1));
        Assert.Equal(3.5, histogram.Quantile(0.11));
        Assert.Equal(3.5, histogram.Quantile(0.5));
        Assert.Equal(3.5, histogram.Quantile(0.9));
        Assert.Equal(slowEdge, histogram.Quantile(0.95));
        Assert.Equal(slowEdge, histogram.Quantile(1));
        Assert.InRange(slowEdge, 50, 50 * 1.1);
    }

    [Fact]
    public void An_empty_histogram_has_no_quantiles_and_q_must_be_between_0_and_1()
    {
        Assert.Null(LatencyHistogram.Empty.Quantile(0.5));
        Assert.Null(new LatencyHistogram().Quantile(0.5));
        Assert.Equal(0, new LatencyHistogram().Total);
        Assert.Throws<ArgumentOutOfRangeException>(() => Of(1).Quantile(-0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => Of(1).Quantile(1.01));
    }

    [Fact]
    public void Merge_adds_counts_bucket_by_bucket()
    {
        var a = Of(0.2, 3.2, 3.3);
        var b = Of(3.4, 50);

        var merged = a.Merge(b);

        Assert.Equal(5, merged.Total);
        Assert.Equal(1, merged.Counts[0]);
        Assert.Equal(3, merged.Counts[6]);
        Assert.Equal(1, merged.Counts[LatencyHistogram.BucketOf(50)]);
        Assert.Equal(merged.Counts, b.Merge(a).Counts);
        Assert.Equal(a.Counts, a.Merge(new LatencyHistogram()).Counts);
        Assert.Equal(3, a.Total);
    }

    [Fact]
    public void Minus_gives_what_was_recorded_since_a_snapshot()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(0.2);
        recorder.Record(3.2);
        var earlier = recorder.Snapshot();
        recorder.Record(3.2);
        recorder.Record(50);

        var since = recorder.Snapshot().Minus(earlier);

        Assert.Equal(2, since.Total);
        Assert.Equal(0, since.Counts[0]);
        Assert.Equal(1, since.Counts[6]);
        Assert.Equal(1, since.Counts[LatencyHistogram.BucketOf(50)]);
        // Never negative, even against a snapshot that is not earlier.
        Assert.All(earlier.Minus(recorder.Snapshot()).Counts, c => Assert.Equal(0, c));
        Assert.Equal(earlier.Counts, earlier.Minus(new LatencyHistogram()).Counts);
    }
}
