using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History;

/// <summary>Collects partial buckets per (twin, name, bucket) from any tier and builds the trend.</summary>
public sealed class TrendBuilder
{
    private readonly Dictionary<(string Twin, int Name, long Bucket), (BucketAccumulator Acc, HistoryTier Tier)> _buckets = [];
    private readonly IReadOnlyList<string> _names;
    private readonly TimeSpan _step;
    private readonly List<HistorySegment> _segments = [];

    /// <summary>A builder for <paramref name="names"/> (series are ordered as these) and buckets of <paramref name="step"/>.</summary>
    public TrendBuilder(IReadOnlyList<string> names, TimeSpan step)
    {
        _names = names;
        _step = step;
    }

    /// <summary>The bucket number of a time (buckets aligned to the Unix epoch).</summary>
    public long BucketOf(long ticks) => (HistorySteps.BucketStart(new DateTime(ticks, DateTimeKind.Utc), _step).Ticks - DateTime.UnixEpoch.Ticks) / _step.Ticks;

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
        var key = (twinId, name, bucket);
        _buckets.TryGetValue(key, out var entry);
        if (entry.Acc.Count == 0)
        {
            entry.Tier = tier;
        }

        entry.Acc.Merge(count, min, max, sum, last, lastTicks);
        _buckets[key] = entry;
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
        var series = _buckets
            .GroupBy(b => (b.Key.Twin, b.Key.Name))
            .OrderBy(g => g.Key.Twin, StringComparer.Ordinal).ThenBy(g => g.Key.Name)
            .Select(g => new HistorySeries(
                g.Key.Twin,
                _names[g.Key.Name],
                [.. g.OrderBy(b => b.Key.Bucket).Select(b => new HistoryBucket(
                    new DateTime(DateTime.UnixEpoch.Ticks + b.Key.Bucket * _step.Ticks, DateTimeKind.Utc),
                    b.Value.Acc.Count, b.Value.Acc.Min, b.Value.Acc.Max, b.Value.Acc.Mean, b.Value.Acc.Last, b.Value.Tier))]))
            .ToImmutableArray();
        return new HistoryTrend(fromUtc, toUtc, _step, series, [.. _segments]);
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
}
