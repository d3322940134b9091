using System.Collections.Immutable;
using Npgsql;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Storage.History;
using Xunit;

namespace TwinCluster.Integration.Tests.History;

/// <summary>Synthetic history with known values, and what a trend of it must say, computed here independently of the store.</summary>
internal sealed class HistoryData
{
    public static readonly ImmutableArray<string> WindowNames = [HistoryFeatureNames.VelocityRms, HistoryFeatureNames.Health, HistoryFeatureNames.Rul];

    public static readonly ImmutableArray<string> ChannelNames = ["temperature"];

    public List<HistoryRecord> Records { get; } = [];

    /// <summary>A window every <paramref name="every"/> and a temperature reading every other window, per twin, in [from, to).</summary>
    public static HistoryData Generate(IReadOnlyList<string> twins, DateTime from, DateTime to, TimeSpan every)
    {
        var data = new HistoryData();
        for (var t = 0; t < twins.Count; t++)
        {
            var i = 0;
            for (var at = from; at < to; at += every, i++)
            {
                var velocity = (float)(1 + t + 0.5 * Math.Sin(i * 0.37));
                var health = (float)(1 - (i % 97) / 200.0);
                var rul = i % 3 == 0 ? float.NaN : (float)(86400 * 30 - i * 60);
                data.Records.Add(new HistoryRecord(twins[t], at, "vibration", WindowNames, [velocity, health, rul]));
                if (i % 2 == 0)
                {
                    data.Records.Add(new HistoryRecord(twins[t], at, "", ChannelNames, [(float)(40 + t + (i % 10) * 0.1)]));
                }
            }
        }

        return data;
    }

    /// <summary>The expected buckets of one series in [from, to).</summary>
    public SortedDictionary<DateTime, BucketAccumulator> Expected(string twin, string name, DateTime from, DateTime to, TimeSpan step)
    {
        var buckets = new SortedDictionary<DateTime, BucketAccumulator>();
        foreach (var r in Records.Where(r => r.TwinId == twin && r.TimeUtc >= from && r.TimeUtc < to))
        {
            var k = r.Names.IndexOf(name);
            if (k < 0 || float.IsNaN(r.Values[k]))
            {
                continue;
            }

            var start = HistorySteps.BucketStart(r.TimeUtc, step);
            buckets.TryGetValue(start, out var acc);
            acc.Add(r.Values[k], r.TimeUtc.Ticks);
            buckets[start] = acc;
        }

        return buckets;
    }

    /// <summary>Asserts that <paramref name="trend"/> holds exactly the expected buckets of every series of the data.</summary>
    public void AssertTrend(HistoryTrend trend, IReadOnlyList<string> twins, IReadOnlyList<string> names, DateTime from, DateTime to)
    {
        foreach (var twin in twins)
        {
            foreach (var name in names)
            {
                var expected = Expected(twin, name, from, to, trend.Step);
                var series = trend.Series.SingleOrDefault(s => s.TwinId == twin && s.Name == name);
                if (expected.Count == 0)
                {
                    Assert.Null(series);
                    continue;
                }

                Assert.True(series is not null, $"no series for {twin} {name}");
                Assert.Equal(expected.Keys, series.Buckets.Select(b => b.Start));
                foreach (var bucket in series.Buckets)
                {
                    var e = expected[bucket.Start];
                    var where = $"{twin} {name} {bucket.Start:O} ({bucket.Tier})";
                    Assert.True(e.Count == bucket.Count, $"{where}: count {bucket.Count}, expected {e.Count}");
                    Assert.True(e.Min == bucket.Min && e.Max == bucket.Max, $"{where}: min/max {bucket.Min}/{bucket.Max}, expected {e.Min}/{e.Max}");
                    Assert.True(Math.Abs(e.Mean - bucket.Mean) <= 1e-6 * Math.Max(1, Math.Abs(e.Mean)), $"{where}: mean {bucket.Mean}, expected {e.Mean}");
                    Assert.True(e.Last == bucket.Last, $"{where}: last {bucket.Last}, expected {e.Last}");
                }
            }
        }
    }

    public static async Task<IReadOnlyList<string>> PartitionsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'history_point'::regclass ORDER BY 1
            """);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
