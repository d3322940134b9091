using System.Collections.Immutable;
using System.Runtime.InteropServices;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History;

/// <summary>
/// Collects partial buckets per (twin, name, bucket) from any tier and builds the trend. Kept per series (twin, name),
/// then per bucket number, so that a wide read (a point or partial bucket per row, for many twins) costs two hash
/// look-ups per row and the build sorts each series on its own.
/// </summary>
public sealed class TrendBuilder
{
    private readonly Dictionary<(string Twin, int Name), Dictionary<long, Entry>> _series = [];
    private readonly IReadOnlyList<string> _names;
    private readonly TimeSpan _step;
    private readonly List<HistorySegment> _segments = [];
    private (string Twin, int Name) _lastKey;
    private Dictionary<long, Entry>? _lastSeries;

    /// <summary>A builder for <paramref name="names"/> (series are ordered as these) and buckets of <paramref name="step"/>.</summary>
    public TrendBuilder(IReadOnlyList<string> names, TimeSpan step)
    {
        _names = names;
        _step = step;
    }

    /// <summary>The bucket number of a time (buckets aligned to the Unix epoch).</summary>
    public long BucketOf(long ticks)
    {
        var since = ticks - DateTime.UnixEpoch.Ticks;
        return since >= 0 ? since / _step.Ticks : ((since + 1) / _step.Ticks) - 1;
    }

    /// <summary>Adds one raw point of name number <paramref name="name"/>.</summary>
    public void Add(string twinId, int name, long ticks, double value, HistoryTier tier)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        Merge(twinId, name, BucketOf(ticks), 1, value, value, value, value, ticks, tier);
    }

    /// <summary>Adds a partial bucket (bucket number as from <see cref="BucketOf"/>).</summary>
    public void Merge(string twinId, int name, long bucket, long count, double min, double max, double sum, double last, long lastTicks, HistoryTier tier)
    {
        var series = SeriesOf(twinId, name);
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(series, bucket, out _);
        if (entry.Acc.Count == 0)
        {
            entry.Tier = tier;
        }

        entry.Acc.Merge(count, min, max, sum, last, lastTicks);
    }

    private Dictionary<long, Entry> SeriesOf(string twinId, int name)
    {
        if (_lastSeries is { } last && _lastKey.Name == name && ReferenceEquals(_lastKey.Twin, twinId))
        {
            return last;
        }

        var key = (twinId, name);
        if (!_series.TryGetValue(key, out var series))
        {
            series = [];
            _series[key] = series;
        }

        (_lastKey, _lastSeries) = (key, series);
        return series;
    }

    /// <summary>Notes that [from, to) was answered from <paramref name="tier"/>; adjacent parts of one tier join.</summary>
    public void Segment(DateTime from, DateTime to, HistoryTier tier)
    {
        if (to <= from)
        {
            return;
        }

        if (_segments.Count > 0 && _segments[^1].Tier == tier && _segments[^1].To == from)
        {
            _segments[^1] = _segments[^1] with { To = to };
            return;
        }

        _segments.Add(new HistorySegment(from, to, tier));
    }

    /// <summary>The trend, series ordered by twin id then by the order of the names.</summary>
    public HistoryTrend Build(DateTime fromUtc, DateTime toUtc)
    {
        var series = _series
            .OrderBy(s => s.Key.Twin, StringComparer.Ordinal).ThenBy(s => s.Key.Name)
            .Select(s => new HistorySeries(s.Key.Twin, _names[s.Key.Name], BucketsOf(s.Value)))
            .ToImmutableArray();
        return new HistoryTrend(fromUtc, toUtc, _step, series, [.. _segments]);
    }

    private ImmutableArray<HistoryBucket> BucketsOf(Dictionary<long, Entry> series)
    {
        var numbers = new long[series.Count];
        var entries = new Entry[series.Count];
        var i = 0;
        foreach (var (number, entry) in series)
        {
            numbers[i] = number;
            entries[i++] = entry;
        }

        Array.Sort(numbers, entries);
        var buckets = new HistoryBucket[numbers.Length];
        for (i = 0; i < numbers.Length; i++)
        {
            var acc = entries[i].Acc;
            buckets[i] = new HistoryBucket(
                new DateTime(DateTime.UnixEpoch.Ticks + numbers[i] * _step.Ticks, DateTimeKind.Utc),
                acc.Count, acc.Min, acc.Max, acc.Mean, acc.Last, entries[i].Tier);
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(buckets);
    }

    /// <summary>Refuses names that are neither stored nor known features, naming them.</summary>
    public static void CheckNames(IReadOnlyList<string> names, IReadOnlySet<string> stored)
    {
        if (names.Count == 0)
        {
            throw HistorySteps.Invalid("no feature or channel names were given (e.g. --names velocityRms,health)");
        }

        var unknown = names.Where(n => !stored.Contains(n) && !HistoryFeatureNames.IsFeature(n)).ToList();
        if (unknown.Count > 0)
        {
            var known = HistoryFeatureNames.Fixed.Concat(stored).Distinct().Order(StringComparer.Ordinal);
            throw HistorySteps.Invalid(
                $"unknown feature or channel name{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", known)}");
        }
    }

    private struct Entry
    {
        public BucketAccumulator Acc;
        public HistoryTier Tier;
    }
}
