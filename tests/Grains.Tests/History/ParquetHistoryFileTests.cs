using Parquet;
using Parquet.Schema;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Storage.History;
using Xunit;

namespace TwinCluster.Grains.Tests.History;

/// <summary>
/// The cold file layout (chunks of whole twins, one row group per name) and its reader: a read of one name or one
/// twin skips the row groups that cannot hold it and still returns every point it should; a file of the earlier
/// layout (mixed names per row group) reads the same. Also the trend builder's order of series and buckets.
/// </summary>
public sealed class ParquetHistoryFileTests : IDisposable
{
    private static readonly DateTime Day = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = ["health", "scoreBall", "velocityRms"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tc-parquet-" + Guid.NewGuid().ToString("N")[..8]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ParquetHistoryFileTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task A_cold_file_keeps_one_name_per_row_group_and_a_read_skips_the_groups_it_does_not_want()
    {
        // 30 twins × 200 times × 3 names; chunks of at least 2,000 points close at a twin boundary: 4 twins (2,400
        // points) a chunk, 8 chunks, 3 row groups each.
        var points = Points(30, 200);
        var path = Path.Combine(_directory, "day.parquet");
        int rowGroups;
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetHistoryFile.Writer.CreateAsync(file, 2000, Ct);
            foreach (var p in points)
            {
                await writer.AddAsync(p.Twin, p.Name, p.Time, p.Value, Ct);
            }

            // A NaN is not a point.
            await writer.AddAsync("t29", "health", Day.AddHours(23), float.NaN, Ct);
            await writer.FlushAsync(Ct);
            Assert.Equal(points.Count, writer.Points);
            rowGroups = writer.RowGroups;
        }

        Assert.Equal(24, rowGroups);
        await using (var stream = File.OpenRead(path))
        await using (var reader = await ParquetReader.CreateAsync(stream, null, false, Ct))
        {
            Assert.Equal(24, reader.RowGroupCount);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var names = new string[group.RowCount];
                await group.ReadAsync(reader.Schema.DataFields.Single(f => f.Name == "name"), names, null, Ct);
                Assert.Single(names.Distinct());
            }
        }

        var twins = points.Select(p => p.Twin).ToHashSet();
        // One name for every twin: one row group of each chunk.
        var (read, total) = await AssertReadAsync(path, points, twins, ["health"], Day, Day.AddDays(1));
        Assert.Equal((8, 24), (read, total));
        // Two names of one twin: its chunk's two row groups.
        (read, _) = await AssertReadAsync(path, points, new HashSet<string> { "t13" }, ["velocityRms", "health"], Day, Day.AddDays(1));
        Assert.Equal(2, read);
        // A part of the day, several twins and all names; a twin the file does not have changes nothing.
        await AssertReadAsync(path, points, new HashSet<string> { "t00", "t07", "t21", "nope" }, Names, Day.AddHours(5), Day.AddHours(7.5));
    }

    [Fact]
    public async Task A_file_of_the_earlier_layout_with_mixed_names_per_row_group_reads_the_same()
    {
        var points = Points(5, 50);
        var path = Path.Combine(_directory, "old.parquet");
        DataField<string> twin = new("twin"), name = new("name");
        DataField<DateTime> ts = new("ts");
        DataField<float> value = new("value");
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(twin, name, ts, value), file, null, false, Ct))
        {
            // Twin order, names mixed within a twin, two row groups.
            foreach (var part in points.OrderBy(p => p.Twin, StringComparer.Ordinal).ThenBy(p => p.Time).Chunk(400))
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(twin, part.Select(p => p.Twin).ToList());
                await group.WriteAsync(name, part.Select(p => p.Name).ToList());
                await group.WriteAsync<DateTime>(ts, part.Select(p => p.Time).ToArray(), null, null, Ct);
                await group.WriteAsync<float>(value, part.Select(p => p.Value).ToArray(), null, null, Ct);
            }
        }

        var (read, total) = await AssertReadAsync(path, points, new HashSet<string> { "t01", "t04" }, ["scoreBall"], Day, Day.AddDays(1));
        Assert.Equal(2, total);
        Assert.True(read >= 1);
        await AssertReadAsync(path, points, points.Select(p => p.Twin).ToHashSet(), Names, Day.AddHours(1), Day.AddHours(20));
    }

    [Fact]
    public void The_trend_builder_orders_series_by_twin_then_asked_name_and_buckets_by_time_whatever_the_order_points_came_in()
    {
        var builder = new TrendBuilder(["velocityRms", "health"], TimeSpan.FromMinutes(5));
        var t = Day.Ticks;
        builder.Add("b", 1, t + TimeSpan.FromMinutes(12).Ticks, 0.5, HistoryTier.Hot);
        builder.Add("a", 0, t + TimeSpan.FromMinutes(7).Ticks, 2, HistoryTier.Hot);
        builder.Add("b", 0, t, 1, HistoryTier.Hot);
        builder.Add("a", 0, t + TimeSpan.FromMinutes(1).Ticks, 3, HistoryTier.Hot);
        builder.Add("a", 0, t + TimeSpan.FromMinutes(6).Ticks, 4, HistoryTier.Hot);
        builder.Add("b", 1, t - TimeSpan.FromMinutes(1).Ticks, 0.7, HistoryTier.Hot);
        builder.Add("a", 0, t + TimeSpan.FromMinutes(8).Ticks, double.NaN, HistoryTier.Hot);

        var trend = builder.Build(Day, Day.AddHours(1));

        Assert.Equal([("a", "velocityRms"), ("b", "velocityRms"), ("b", "health")], trend.Series.Select(s => (s.TwinId, s.Name)));
        var a = trend.Series[0].Buckets;
        Assert.Equal([Day, Day.AddMinutes(5)], a.Select(b => b.Start));
        Assert.Equal((1L, 3.0), (a[0].Count, a[0].Last));
        Assert.Equal((2L, 2.0, 4.0, 3.0, 2.0), (a[1].Count, a[1].Min, a[1].Max, a[1].Mean, a[1].Last));
        Assert.Equal([Day.AddMinutes(-5), Day.AddMinutes(10)], trend.Series[2].Buckets.Select(b => b.Start));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Points of <paramref name="twins"/> twins (t00, t01, …) at <paramref name="times"/> times over the day, every name, in twin order.</summary>
    private static List<Point> Points(int twins, int times)
    {
        var points = new List<Point>();
        for (var t = 0; t < twins; t++)
        {
            for (var i = 0; i < times; i++)
            {
                var time = Day.AddTicks(TimeSpan.TicksPerDay / times * i + t);
                for (var n = 0; n < Names.Length; n++)
                {
                    points.Add(new Point($"t{t:D2}", Names[n], time, t * 100 + i + n / 10f));
                }
            }
        }

        return points;
    }

    private static async Task<(int Read, int Total)> AssertReadAsync(
        string path, List<Point> points, IReadOnlySet<string> twins, string[] names, DateTime from, DateTime to)
    {
        var got = new List<Point>();
        var result = await ParquetHistoryFile.ReadAsync(path, twins, names, from, to,
            (twin, k, ticks, v) => got.Add(new Point(twin, names[k], new DateTime(ticks, DateTimeKind.Utc), (float)v)), Ct);
        var expected = points.Where(p => twins.Contains(p.Twin) && names.Contains(p.Name) && p.Time >= from && p.Time < to).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(Sorted(expected), Sorted(got));
        return result;
    }

    private static List<Point> Sorted(IEnumerable<Point> points) =>
        [.. points.OrderBy(p => p.Twin, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Time)];

    private sealed record Point(string Twin, string Name, DateTime Time, float Value);
}
