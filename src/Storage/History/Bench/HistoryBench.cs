using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History.Bench;

/// <summary>
/// The history store at fleet scale, time compressed: windows of N monitored components for D simulated days are fed
/// through the silo's write path (<see cref="HistoryBatchWriter"/> into <see cref="PostgresHistoryStore"/>: batches
/// binary-COPYed into the day partitions), the maintenance rolls the closed days up and exports the oldest to Parquet,
/// then it measures the bytes per feature point of each tier and times trends through the store's query path (each day
/// answered by its tier). The reference in the same run: the same rows binary-COPYed into a plain table.
/// </summary>
public sealed class HistoryBench(NpgsqlDataSource dataSource, HistoryBenchOptions options, Action<string> log)
{
    /// <summary>What writes must keep up with: 1,000 bearing twins of the condition bench analyse about 2 windows a second each (1,958/s measured).</summary>
    public const double TargetWindowsPerSecond = 2000;

    private static readonly string[] ScoredFaults = ["OuterRace", "InnerRace", "Ball", "Cage", "Imbalance", "Misalignment"];

    /// <summary>The names of a window's values with <paramref name="bands"/> bands: the layout the twins write (HistoryFeatures.WindowNames).</summary>
    public static ImmutableArray<string> WindowNames(int bands) =>
    [
        .. HistoryFeatureNames.Fixed,
        .. Enumerable.Range(1, bands).Select(i => HistoryFeatureNames.BandPrefix + i.ToString(CultureInfo.InvariantCulture)),
        .. ScoredFaults.Select(f => HistoryFeatureNames.ScorePrefix + f),
    ];

    /// <summary>Feature points (numbers, not NaN) of one window of <paramref name="component"/>.</summary>
    public static int PointsPerWindow(int component, int bands) =>
        WindowNames(bands).Length - (HistoryBenchOptions.IsDegrading(component) ? 0 : 3);

    /// <summary>Feeds, maintains, measures.</summary>
    public async Task<HistoryBenchResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        await CheckEmptyAsync(cancellationToken);
        var temporary = options.ColdDirectory is null;
        var cold = options.ColdDirectory ?? Path.Combine(Path.GetTempPath(), "tc-history-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            return await RunAsync(Path.GetFullPath(cold), cancellationToken);
        }
        finally
        {
            if (temporary && Directory.Exists(cold))
            {
                Directory.Delete(cold, recursive: true);
            }
        }
    }

    private async Task<HistoryBenchResult> RunAsync(string cold, CancellationToken cancellationToken)
    {
        var historyOptions = new HistoryOptions { HotRetention = TimeSpan.FromDays(options.HotDays), ColdDirectory = cold };
        var store = new PostgresHistoryStore(dataSource, historyOptions);
        var names = WindowNames(options.Bands);
        var twins = Enumerable.Range(0, options.Components).Select(Twin).ToArray();
        var perDay = options.WindowsPerDay;
        var pointsPerDay = Enumerable.Range(0, options.Components).Sum(c => (long)PointsPerWindow(c, options.Bands)) * perDay;
        log($"{options.Components:N0} components × {options.Days} days × {perDay} windows a day (one per {HistorySteps.Format(options.WindowInterval)} " +
            $"of simulated time) = {(long)options.Components * options.Days * perDay:N0} windows of {names.Length} values, {pointsPerDay * options.Days:N0} feature points");

        // 1. The feed, through the writer the silo uses.
        var writer = new HistoryBatchWriter(store, historyOptions, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var loop = writer.RunAsync(stop.Token);
        var fed = 0L;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var day = 0; day < options.Days; day++)
            {
                for (var w = 0; w < perDay; w++)
                {
                    // The writer drops rows when its queue is full (twins never wait); the bench waits instead, so all arrive.
                    while (writer.Queued - writer.Written > historyOptions.QueueCapacity - options.Components)
                    {
                        if (loop.IsCompleted)
                        {
                            await loop;
                        }

                        await Task.Delay(2, cancellationToken);
                    }

                    var index = (long)day * perDay + w;
                    for (var c = 0; c < options.Components; c++)
                    {
                        if (!writer.Enqueue(Window(twins[c], c, index, names)))
                        {
                            throw new InvalidOperationException("the history writer dropped a window although the bench waited for room");
                        }

                        fed++;
                    }
                }

                log(string.Create(CultureInfo.InvariantCulture,
                    $"day {day + 1}/{options.Days} handed over: {fed:N0} windows, {writer.Stored:N0} stored, {clock.Elapsed.TotalSeconds:0.0} s"));
            }

            if (!await writer.WhenWrittenAsync(TimeSpan.FromMinutes(30), cancellationToken))
            {
                throw new TimeoutException($"the history writer had stored {writer.Stored:N0} of {fed:N0} windows after 30 minutes");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
        }

        var feedSeconds = clock.Elapsed.TotalSeconds;
        log(string.Create(CultureInfo.InvariantCulture,
            $"fed {fed:N0} windows in {feedSeconds:0.0} s: {fed / feedSeconds:N0} windows/s ({writer.Failures} failed batches retried)"));

        // 2. The reference: the first day's rows, binary-COPYed into a plain table (no partitions, key, staging or conflict check).
        var reference = await ReferenceCopyAsync(store, twins, names, cancellationToken);
        log($"reference: the first day's {options.Components * perDay:N0} rows binary-COPYed into a plain table: {reference:N0} rows/s");

        // 3. The maintenance the silo runs, at the end of the feed: every day but the last is closed and rolled up; the
        // days older than the hot retention are exported and dropped.
        var now = Day(options.Days);
        clock.Restart();
        var report = await new PostgresHistoryMaintenance(dataSource, historyOptions).RunAsync(now, log, cancellationToken);
        var maintenanceSeconds = clock.Elapsed.TotalSeconds;
        log(string.Create(CultureInfo.InvariantCulture,
            $"maintenance: {report.RolledUp.Count} days rolled up, {report.Exported.Count} exported in {maintenanceSeconds:0.0} s"));
        // What autovacuum would do soon after such a load; the plans are then those of a settled table.
        await ExecuteAsync("ANALYZE history_point", cancellationToken);
        await ExecuteAsync("ANALYZE history_rollup", cancellationToken);

        // 4. Sizes per tier.
        var hotDays = options.Days - report.Exported.Count;
        var hot = new HistoryBenchTier("hot", hotDays,
            await ScalarAsync("SELECT count(*) FROM history_point", cancellationToken),
            pointsPerDay * hotDays,
            await ScalarAsync($"SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0)::bigint FROM pg_inherits WHERE inhparent = '{HistoryPartitions.Table}'::regclass", cancellationToken));
        var rollups = await RollupsAsync(cancellationToken);
        var warmBytes = await ScalarAsync("SELECT pg_total_relation_size('history_rollup')", cancellationToken);
        var warmPoints = pointsPerDay * report.RolledUp.Count;
        var warm = new HistoryBenchTier("warm", report.RolledUp.Count, rollups.Values.Sum(r => r.Rows), warmPoints, warmBytes);
        var coldBytes = Directory.Exists(cold) ? Directory.EnumerateFiles(cold, "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
        var coldPoints = await ScalarAsync("SELECT coalesce(sum(cold_points), 0)::bigint FROM history_partition WHERE exported_at IS NOT NULL", cancellationToken);
        var coldTier = new HistoryBenchTier("cold", report.Exported.Count, coldPoints, pointsPerDay * report.Exported.Count, coldBytes);
        var rowBytes = rollups.Values.Sum(r => r.RowBytes);
        double Share(int resolution) => rollups.TryGetValue(resolution, out var r) && rowBytes > 0 && warmPoints > 0 ? warmBytes * (r.RowBytes / (double)rowBytes) / warmPoints : 0;

        // 5. Trends through the store's query path, with the steps the history grain resolves.
        var random = new Random(15);
        var all = new[] { HistoryFeatureNames.VelocityRms, HistoryFeatureNames.Health };
        var from = Day(0);
        var to = Day(options.Days);
        var hourly = HistorySteps.Resolve(from, to, TimeSpan.FromHours(1));
        var single = await TimeAsync($"{options.Days}-day hourly trend of one component (velocityRms, health)", options.SingleTrendRuns, 5,
            () => store.TrendAsync([twins[random.Next(twins.Length)]], all, from, to, hourly, cancellationToken));
        var fleet = await FleetAsync(store, $"24-hour trend of health for all {options.Components:N0} components, last day", options.Days - 1, null, options.FleetTrendRuns, cancellationToken);
        var fleetWarm = await FleetAsync(store, "the same, last rolled-up day", options.Days - 2, null, Math.Max(3, options.FleetTrendRuns / 2), cancellationToken);
        var fleetCold = await FleetAsync(store, "the same, first day, 90 s step", 0, TimeSpan.FromSeconds(90), Math.Max(3, options.FleetTrendRuns / 4), cancellationToken);
        // The reference for the fleet trends, same run: the same queries with the buckets grouped in SQL (the way of
        // narrow selections, and of every selection before the wide ones streamed their rows).
        var grouped = new PostgresHistoryStore(dataSource, historyOptions) { StreamFromBuckets = long.MaxValue };
        var fleetGrouped = await FleetAsync(grouped, "the same grouped in SQL (reference), last day", options.Days - 1, null, Math.Max(3, options.FleetTrendRuns / 4), cancellationToken);
        var fleetWarmGrouped = await FleetAsync(grouped, "the same grouped in SQL (reference), last rolled-up day", options.Days - 2, null, Math.Max(3, options.FleetTrendRuns / 4), cancellationToken);

        return new HistoryBenchResult(
            options.Components, options.Days, options.WindowInterval.TotalSeconds, names.Length,
            fed, writer.Stored, writer.Dropped, writer.Failures, feedSeconds, writer.Stored / feedSeconds, TargetWindowsPerSecond, reference,
            maintenanceSeconds, report.RolledUp.Count, report.Exported.Count,
            hot, warm, coldTier,
            rollups.TryGetValue(60, out var m) ? m.Rows : 0, rollups.TryGetValue(3600, out var h) ? h.Rows : 0, rollups.TryGetValue(86400, out var d) ? d.Rows : 0,
            Share(60), Share(3600), Share(86400),
            single, fleet, fleetWarm, fleetCold, fleetGrouped, fleetWarmGrouped);

        Task<HistoryBenchLatency> FleetAsync(PostgresHistoryStore target, string what, int day, TimeSpan? step, int runs, CancellationToken ct)
        {
            var start = Day(day);
            var end = Day(day + 1);
            var resolved = HistorySteps.Resolve(start, end, step);
            return TimeAsync(what, runs, 1, () => target.TrendAsync(twins, [HistoryFeatureNames.Health], start, end, resolved, ct));
        }
    }

    private string Twin(int component) => $"{options.Prefix}-c{component:D5}";

    private DateTime Day(int day) => options.StartUtc.AddDays(day);

    /// <summary>
    /// Window <paramref name="index"/> of a component: its time spread within the interval by component, values that
    /// move like a bearing's (noise; a degrading one's velocity rises and health falls over the run).
    /// </summary>
    private HistoryRecord Window(string twin, int component, long index, ImmutableArray<string> names)
    {
        var offset = options.WindowInterval.Ticks / options.Components * component;
        var time = new DateTime(options.StartUtc.Ticks + index * options.WindowInterval.Ticks + offset, DateTimeKind.Utc);
        var degrading = HistoryBenchOptions.IsDegrading(component);
        var progress = index / (double)(options.Days * options.WindowsPerDay);
        var wear = degrading ? progress * progress : 0;
        var seed = (ulong)(component + 1) * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xBF58476D1CE4E5B9UL;
        float Noise(double scale)
        {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            return (float)(((seed >> 11) * (1.0 / (1UL << 53)) - 0.5) * 2 * scale);
        }

        var values = new float[names.Length];
        var rms = 0.12 + 0.3 * wear + Noise(0.01);
        var velocity = 0.8 + 4 * wear + Noise(0.05);
        var health = Math.Clamp(0.97 - 0.5 * wear + Noise(0.01), 0, 1);
        var i = 0;
        values[i++] = (float)rms;
        values[i++] = (float)(rms * (3.2 + 2 * wear) + Noise(0.05));
        values[i++] = 3.2f + (float)(2 * wear) + Noise(0.1);
        values[i++] = 3.0f + (float)(4 * wear) + Noise(0.1);
        values[i++] = (float)velocity;
        values[i++] = (float)(velocity * 0.4) + Noise(0.02);
        values[i++] = (float)(velocity * 0.15) + Noise(0.02);
        values[i++] = 3.1f + (float)(6 * wear) + Noise(0.2);
        values[i++] = (float)health;
        values[i++] = (float)health + Noise(0.02);
        values[i++] = degrading && wear > 0.2 ? 2 : 0;
        values[i++] = 0.6f + Noise(0.1);
        if (degrading)
        {
            var rul = (float)((1 - progress) * options.Days * 86400 * 1.3);
            values[i++] = rul;
            values[i++] = rul * 0.7f;
            values[i++] = rul * 1.4f;
        }
        else
        {
            values[i++] = float.NaN;
            values[i++] = float.NaN;
            values[i++] = float.NaN;
        }

        values[i++] = 25f + Noise(0.05);
        for (var b = 0; b < options.Bands; b++)
        {
            values[i++] = (float)(rms / (b + 1)) + Noise(0.005);
        }

        for (var s = 0; s < ScoredFaults.Length; s++)
        {
            values[i++] = (s == 0 ? (float)(20 * wear) : 0) + 3 + Noise(1.5);
        }

        return new HistoryRecord(twin, time, "vibration", names, ImmutableCollectionsMarshal.AsImmutableArray(values));
    }

    private async Task CheckEmptyAsync(CancellationToken cancellationToken)
    {
        if (await ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = 'history_partition'", cancellationToken) == 0)
        {
            throw new InvalidOperationException("the database has no history tables: run `twin db migrate --connection ...` first");
        }

        // The bench's maintenance rolls up and exports every day it finds: it must not touch real history.
        var days = await ScalarAsync("SELECT count(*) FROM history_partition", cancellationToken);
        if (days > 0)
        {
            throw new InvalidOperationException($"the history bench needs a database without history (this one has {days} days of it): give it a fresh database");
        }
    }

    private async Task<double> ReferenceCopyAsync(PostgresHistoryStore store, string[] twins, ImmutableArray<string> names, CancellationToken cancellationToken)
    {
        var layout = (await store.LoadLayoutsAsync(cancellationToken)).Single(l => l.Names.SequenceEqual(names)).Id;
        var rows = new List<HistoryRecord>(options.Components * options.WindowsPerDay);
        for (var w = 0; w < options.WindowsPerDay; w++)
        {
            for (var c = 0; c < options.Components; c++)
            {
                rows.Add(Window(twins[c], c, w, names));
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE history_bench_reference (twin_key integer, layout_id integer, ts timestamptz, vals real[])", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY history_bench_reference (twin_key, layout_id, ts, vals) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var r = 0; r < rows.Count; r++)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(r % options.Components, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(layout, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(rows[r].TimeUtc, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(ImmutableCollectionsMarshal.AsArray(rows[r].Values)!, NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await using (var drop = new NpgsqlCommand("DROP TABLE history_bench_reference", connection))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return rows.Count / seconds;
    }

    private async Task<Dictionary<int, (long Rows, long RowBytes)>> RollupsAsync(CancellationToken cancellationToken)
    {
        var rollups = new Dictionary<int, (long, long)>();
        await using var command = dataSource.CreateCommand("SELECT resolution, count(*), sum(pg_column_size(r.*))::bigint FROM history_rollup r GROUP BY 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rollups[reader.GetInt32(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        return rollups;
    }

    private async Task<HistoryBenchLatency> TimeAsync(string what, int runs, int warmUp, Func<Task<HistoryTrend>> trend)
    {
        HistoryTrend? last = null;
        for (var i = 0; i < warmUp; i++)
        {
            last = await trend();
        }

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            last = await trend();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        var result = new HistoryBenchLatency(
            what, runs, Quantile(samples, 0.5), Quantile(samples, 0.99), samples[^1],
            last!.Series.Length, last.Series.Sum(s => (long)s.Buckets.Length), last.Series.Sum(s => s.Buckets.Sum(b => b.Count)),
            HistorySteps.Format(last.Step), Describe(last.Segments));
        log(string.Create(CultureInfo.InvariantCulture,
            $"{what}: p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms ({runs} runs; {result.Series} series, {result.Buckets:N0} buckets, {result.Points:N0} points; {result.Tiers})"));
        return result;
    }

    private static double Quantile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static string Describe(ImmutableArray<HistorySegment> segments) =>
        string.Join(", ", segments.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Tier.ToString().ToLowerInvariant()} {s.From:MM-dd HH:mm}–{s.To:MM-dd HH:mm}")));

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
