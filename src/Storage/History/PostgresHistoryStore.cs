using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History;

/// <summary>
/// History on PostgreSQL (tables from migration 0030_history). Writes: a batch is binary-COPYed into a
/// transaction-local staging table and inserted into the day partitions of <c>history_point</c> with
/// <c>ON CONFLICT DO NOTHING</c> (a replayed window is stored once). Trends: each day of the range is read from the best
/// tier that holds it: warm rollups when the day is rolled up (and warm retention has not reached it) and the step is
/// whole minutes, hours or days; hot rows while its partition exists; the day's Parquet file once it is exported; what
/// is left of its rollups when nothing else is.
/// </summary>
public sealed class PostgresHistoryStore : IHistoryStore
{
    private static readonly int[] Resolutions = [86400, 3600, 60];

    private readonly NpgsqlDataSource _dataSource;
    private readonly HistoryOptions _options;
    private readonly ConcurrentDictionary<string, int> _twinKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Source, string Names), int> _layoutIds = new();
    private readonly ConcurrentDictionary<DateOnly, bool> _writableDays = new();
    private volatile IReadOnlyList<HistoryLayout> _layouts = [];

    /// <summary>Uses <paramref name="dataSource"/> for every command; the caller owns and disposes it.</summary>
    public PostgresHistoryStore(NpgsqlDataSource dataSource, HistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _options = options;
    }

    /// <summary>
    /// From how many buckets (twins × names × buckets of a part) the hot and warm tiers stream the selected values of
    /// their rows and bucket them here instead of grouping in SQL (default 20,000). Grouping in SQL sends one row per
    /// bucket, which wins when a bucket holds many rows (one twin over weeks); but its cost grows with the number of
    /// groups, and a fleet-wide day (1,000 twins × 288 buckets) has about one row per group, so reading the rows
    /// (one column per asked name, no grouping, no sort) is several times cheaper. Both give the same buckets.
    /// </summary>
    public long StreamFromBuckets { get; init; } = 20_000;

    /// <summary>Rows refused because their day was already exported or dropped.</summary>
    public long LateRowsRefused => Interlocked.Read(ref _lateRefused);

    private long _lateRefused;

    /// <inheritdoc />
    public string Description =>
        $"History in PostgreSQL: hot rows for {HistorySteps.Format(_options.HotRetention)}, minute/hour/day rollups for {HistorySteps.Format(_options.WarmRetention)}, " +
        (_options.ColdDirectory is { } dir ? $"then Parquet files in {dir}" : "then dropped (no TwinCluster:History:ColdDirectory)");

    /// <inheritdoc />
    public async Task<int> WriteAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return 0;
        }

        await EnsureTwinsAsync(records.Select(r => r.TwinId), cancellationToken);
        await EnsureLayoutsAsync(records, cancellationToken);
        try
        {
            return await WriteRowsAsync(records, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            // "No partition for the row": maintenance dropped a day this process still had as writable.
            _writableDays.Clear();
            return await WriteRowsAsync(records, cancellationToken);
        }
    }

    private async Task<int> WriteRowsAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken)
    {
        var writable = await EnsureDaysAsync(records.Select(r => HistoryPartitions.DayOf(r.TimeUtc)).Distinct().ToList(), cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE history_staging (LIKE history_point) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var late = 0;
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY history_staging (twin_key, layout_id, ts, vals) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var record in records)
            {
                if (!writable.Contains(HistoryPartitions.DayOf(record.TimeUtc)))
                {
                    late++;
                    continue;
                }

                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(_twinKeys[record.TwinId], NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(_layoutIds[(record.Source, LayoutKey(record.Names))], NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(DateTime.SpecifyKind(record.TimeUtc, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(ImmutableCollectionsMarshal.AsArray(record.Values) ?? [], NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        int added;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO history_point SELECT * FROM history_staging ON CONFLICT DO NOTHING", connection, transaction))
        {
            added = await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Interlocked.Add(ref _lateRefused, late);
        return added;
    }

    /// <inheritdoc />
    public async Task WriteChangesAsync(IReadOnlyList<HistoryChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY history_change (twin_id, at, operation, principal, before, after) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var change in changes)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(change.TwinId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(change.At.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(change.Operation, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, change.Principal, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, change.BeforeJson, NpgsqlDbType.Json, cancellationToken);
            await WriteNullableAsync(importer, change.AfterJson, NpgsqlDbType.Json, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<HistoryChange?> LatestChangeAsync(string twinId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var changes = await ReadChangesAsync(
            "WHERE twin_id = $1 AND at <= $2 ORDER BY at DESC, id DESC LIMIT 1", twinId, at.UtcDateTime, null, cancellationToken);
        return changes.Length == 0 ? null : changes[0];
    }

    /// <inheritdoc />
    public Task<ImmutableArray<HistoryChange>> ChangesAsync(string twinId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadChangesAsync("WHERE twin_id = $1 AND at >= $2 AND at < $3 ORDER BY at, id", twinId, from.UtcDateTime, to.UtcDateTime, cancellationToken);

    /// <inheritdoc />
    public async Task<ImmutableArray<string>> NamesAsync(CancellationToken cancellationToken = default)
    {
        var layouts = await LoadLayoutsAsync(cancellationToken);
        return layouts.SelectMany(l => l.Names).Concat(HistoryFeatureNames.Fixed).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
    }

    /// <inheritdoc />
    public async Task<HistoryTrend> TrendAsync(
        IReadOnlyList<string> twinIds, IReadOnlyList<string> names, DateTime fromUtc, DateTime toUtc, TimeSpan step,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(twinIds);
        ArgumentNullException.ThrowIfNull(names);
        var layouts = _layouts;
        if (names.Any(n => !layouts.Any(l => l.Names.Contains(n))))
        {
            layouts = await LoadLayoutsAsync(cancellationToken);
        }

        TrendBuilder.CheckNames(names, layouts.SelectMany(l => l.Names).ToHashSet(StringComparer.Ordinal));
        var builder = new TrendBuilder(names, step);
        var selection = Select(layouts, names);
        var twins = await TwinKeysAsync(twinIds, cancellationToken);
        if (selection.Layouts.Length == 0 || twins.Count == 0)
        {
            return builder.Build(fromUtc, toUtc);
        }

        var plan = await PlanAsync(fromUtc, toUtc, step, cancellationToken);
        foreach (var part in plan)
        {
            builder.Segment(part.From, part.To, part.Tier);
            switch (part.Tier)
            {
                case HistoryTier.Hot when Streams(twins, names, part, step):
                    await StreamHotAsync(builder, twins, selection, part, cancellationToken);
                    break;
                case HistoryTier.Hot:
                    await ReadHotAsync(builder, twins, selection, part, step, cancellationToken);
                    break;
                case HistoryTier.Warm when Streams(twins, names, part, step):
                    await StreamWarmAsync(builder, twins, selection, part, cancellationToken);
                    break;
                case HistoryTier.Warm:
                    await ReadWarmAsync(builder, twins, selection, part, step, cancellationToken);
                    break;
                case HistoryTier.Cold:
                    await ReadColdAsync(builder, twins, names, part, cancellationToken);
                    break;
            }
        }

        return builder.Build(fromUtc, toUtc);
    }

    /// <summary>The parts of [from, to) and the tier each is read from; days with no data at all are left out.</summary>
    public async Task<IReadOnlyList<TrendPart>> PlanAsync(DateTime fromUtc, DateTime toUtc, TimeSpan step, CancellationToken cancellationToken = default)
    {
        var firstDay = HistoryPartitions.DayOf(fromUtc);
        var lastDay = HistoryPartitions.DayOf(toUtc.AddTicks(-1));
        var states = await HistoryPartitionState.LoadAsync(_dataSource, firstDay, lastDay, cancellationToken);
        var resolution = Resolutions.FirstOrDefault(r => step.Ticks % TimeSpan.FromSeconds(r).Ticks == 0);
        var parts = new List<TrendPart>();
        foreach (var state in states)
        {
            (HistoryTier Tier, int Resolution, string? ColdPath)? choice =
                state.RolledUp && !state.WarmExpired && resolution > 0 ? (HistoryTier.Warm, resolution, null)
                : state.Hot ? (HistoryTier.Hot, 0, null)
                : state.ColdPath is { } cold ? (HistoryTier.Cold, 0, cold)
                : state.RolledUp ? (HistoryTier.Warm, resolution > 0 ? resolution : 60, null)
                : null;
            if (choice is not { } c)
            {
                continue;
            }

            var from = Max(fromUtc, HistoryPartitions.Start(state.Day));
            var to = Min(toUtc, HistoryPartitions.Start(state.Day.AddDays(1)));
            if (parts.Count > 0 && parts[^1].Tier == c.Tier && parts[^1].Resolution == c.Resolution && parts[^1].To == from && c.Tier != HistoryTier.Cold)
            {
                parts[^1] = parts[^1] with { To = to };
            }
            else
            {
                parts.Add(new TrendPart(from, to, c.Tier, c.Resolution, c.ColdPath));
            }
        }

        return parts;
    }

    private async Task ReadHotAsync(TrendBuilder builder, Dictionary<int, string> twins, Selection selection, TrendPart part, TimeSpan step, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT p.twin_key, q.k, floor(extract(epoch FROM p.ts) / $7)::bigint AS b,
                   count(*), min(x.v), max(x.v), sum(x.v), (array_agg(x.v ORDER BY p.ts DESC))[1], max(p.ts)
            FROM history_point p
            JOIN unnest($2::int[], $3::int[], $4::int[]) AS q(layout_id, pos, k) ON q.layout_id = p.layout_id
            CROSS JOIN LATERAL (SELECT p.vals[q.pos]::float8 AS v) x
            WHERE p.twin_key = ANY($1) AND p.layout_id = ANY($2) AND p.ts >= $5 AND p.ts < $6 AND x.v <> 'NaN'::float8
            GROUP BY 1, 2, 3
            """);
        AddSelection(command, twins, selection, part);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)step.TotalSeconds });
        await ReadBucketsAsync(command, builder, twins, HistoryTier.Hot, cancellationToken);
    }

    private async Task ReadWarmAsync(TrendBuilder builder, Dictionary<int, string> twins, Selection selection, TrendPart part, TimeSpan step, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT r.twin_key, q.k, floor(extract(epoch FROM r.bucket) / $7)::bigint AS b,
                   sum(r.n[q.pos])::bigint, min(r.mn[q.pos])::float8, max(r.mx[q.pos])::float8, sum(r.sm[q.pos]),
                   (array_agg(r.lst[q.pos]::float8 ORDER BY r.last_ts DESC))[1], max(r.last_ts)
            FROM history_rollup r
            JOIN unnest($2::int[], $3::int[], $4::int[]) AS q(layout_id, pos, k) ON q.layout_id = r.layout_id
            WHERE r.resolution = $8 AND r.twin_key = ANY($1) AND r.layout_id = ANY($2) AND r.bucket >= $5 AND r.bucket < $6
              AND r.n[q.pos] > 0
            GROUP BY 1, 2, 3
            """);
        AddSelection(command, twins, selection, part);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)step.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = part.Resolution });
        await ReadBucketsAsync(command, builder, twins, HistoryTier.Warm, cancellationToken);
    }

    private bool Streams(Dictionary<int, string> twins, IReadOnlyList<string> names, TrendPart part, TimeSpan step) =>
        (double)twins.Count * names.Count * Math.Ceiling((part.To - part.From).Ticks / (double)step.Ticks) >= StreamFromBuckets;

    /// <summary>
    /// The hot rows of the selection, only the asked values of each (one layout at a time: <c>vals[i]</c> of a real[]
    /// without nulls is read at its offset, the other values are not decoded), bucketed here. The twins of the selection
    /// filter by key (a hashed ANY); a whole day of all twins is a sequential scan of its partition, a few twins use
    /// the key index (twin_key, layout_id, ts).
    /// </summary>
    private async Task StreamHotAsync(TrendBuilder builder, Dictionary<int, string> twins, Selection selection, TrendPart part, CancellationToken cancellationToken)
    {
        foreach (var (layout, positions, ks) in selection.ByLayout())
        {
            var columns = string.Join(", ", positions.Select(p => string.Create(CultureInfo.InvariantCulture, $"p.vals[{p}]")));
            await using var command = _dataSource.CreateCommand(
                $"SELECT p.twin_key, p.ts, {columns} FROM history_point p WHERE p.layout_id = $1 AND p.ts >= $2 AND p.ts < $3 AND p.twin_key = ANY($4)");
            AddStreamParameters(command, twins, layout, part);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!twins.TryGetValue(reader.GetInt32(0), out var twin))
                {
                    continue;
                }

                var ticks = reader.GetFieldValue<DateTime>(1).Ticks;
                for (var j = 0; j < ks.Length; j++)
                {
                    if (!reader.IsDBNull(2 + j))
                    {
                        builder.Add(twin, ks[j], ticks, reader.GetFloat(2 + j), HistoryTier.Hot);
                    }
                }
            }
        }
    }

    /// <summary>The rollup rows of the selection at the part's resolution, only the asked values' count, min, max, sum and last, merged here.</summary>
    private async Task StreamWarmAsync(TrendBuilder builder, Dictionary<int, string> twins, Selection selection, TrendPart part, CancellationToken cancellationToken)
    {
        foreach (var (layout, positions, ks) in selection.ByLayout())
        {
            var columns = string.Join(", ", positions.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"r.n[{p}], r.mn[{p}], r.mx[{p}], r.sm[{p}], r.lst[{p}]")));
            await using var command = _dataSource.CreateCommand(
                $"SELECT r.twin_key, r.bucket, r.last_ts, {columns} FROM history_rollup r " +
                "WHERE r.resolution = $5 AND r.layout_id = $1 AND r.bucket >= $2 AND r.bucket < $3 AND r.twin_key = ANY($4)");
            AddStreamParameters(command, twins, layout, part);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = part.Resolution });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!twins.TryGetValue(reader.GetInt32(0), out var twin))
                {
                    continue;
                }

                var bucket = builder.BucketOf(reader.GetFieldValue<DateTime>(1).Ticks);
                var lastTicks = reader.GetFieldValue<DateTime>(2).Ticks;
                for (var j = 0; j < ks.Length; j++)
                {
                    var c = 3 + 5 * j;
                    var n = reader.IsDBNull(c) ? 0 : reader.GetInt32(c);
                    if (n <= 0)
                    {
                        continue;
                    }

                    builder.Merge(twin, ks[j], bucket, n, reader.GetFloat(c + 1), reader.GetFloat(c + 2), reader.GetDouble(c + 3),
                        reader.GetFloat(c + 4), lastTicks, HistoryTier.Warm);
                }
            }
        }
    }

    private static void AddStreamParameters(NpgsqlCommand command, Dictionary<int, string> twins, int layout, TrendPart part)
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = layout });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = part.From });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = part.To });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. twins.Keys] });
    }

    private async Task ReadColdAsync(TrendBuilder builder, Dictionary<int, string> twins, IReadOnlyList<string> names, TrendPart part, CancellationToken cancellationToken)
    {
        if (_options.ColdDirectory is not { } directory || part.ColdPath is not { } relative)
        {
            throw new InvalidOperationException(
                $"History for {part.From:yyyy-MM-dd} is in the cold file {part.ColdPath}, but TwinCluster:History:ColdDirectory is not set");
        }

        var wanted = twins.Values.ToHashSet(StringComparer.Ordinal);
        await ParquetHistoryFile.ReadAsync(Path.Combine(directory, relative), wanted, names, part.From, part.To,
            (twin, k, ticks, value) => builder.Add(twin, k, ticks, value, HistoryTier.Cold), cancellationToken);
    }

    private static void AddSelection(NpgsqlCommand command, Dictionary<int, string> twins, Selection selection, TrendPart part)
    {
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. twins.Keys] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = selection.Layouts });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = selection.Positions });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = selection.Names });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = part.From });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = part.To });
    }

    private static async Task ReadBucketsAsync(NpgsqlCommand command, TrendBuilder builder, Dictionary<int, string> twins, HistoryTier tier, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            builder.Merge(
                twins[reader.GetInt32(0)], reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7),
                reader.GetFieldValue<DateTime>(8).Ticks, tier);
        }
    }

    /// <summary>Which value of which layout answers which asked name (positions 1-based, as in SQL arrays).</summary>
    private static Selection Select(IReadOnlyList<HistoryLayout> layouts, IReadOnlyList<string> names)
    {
        var (ids, positions, ks) = (new List<int>(), new List<int>(), new List<int>());
        foreach (var layout in layouts)
        {
            for (var i = 0; i < layout.Names.Length; i++)
            {
                for (var k = 0; k < names.Count; k++)
                {
                    if (string.Equals(layout.Names[i], names[k], StringComparison.Ordinal))
                    {
                        ids.Add(layout.Id);
                        positions.Add(i + 1);
                        ks.Add(k);
                    }
                }
            }
        }

        return new Selection([.. ids], [.. positions], [.. ks]);
    }

    private async Task<Dictionary<int, string>> TwinKeysAsync(IReadOnlyList<string> twinIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, string>();
        await using var command = _dataSource.CreateCommand("SELECT twin_key, twin_id FROM history_twin WHERE twin_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. twinIds] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetInt32(0)] = reader.GetString(1);
        }

        return result;
    }

    /// <summary>All layouts, read again from the database.</summary>
    public async Task<IReadOnlyList<HistoryLayout>> LoadLayoutsAsync(CancellationToken cancellationToken = default)
    {
        var layouts = new List<HistoryLayout>();
        await using var command = _dataSource.CreateCommand("SELECT layout_id, source, names FROM history_layout ORDER BY layout_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var layout = new HistoryLayout(reader.GetInt32(0), reader.GetString(1), [.. reader.GetFieldValue<string[]>(2)]);
            layouts.Add(layout);
            _layoutIds[(layout.Source, LayoutKey(layout.Names))] = layout.Id;
        }

        _layouts = layouts;
        return layouts;
    }

    private async Task EnsureTwinsAsync(IEnumerable<string> twinIds, CancellationToken cancellationToken)
    {
        var missing = twinIds.Where(id => !_twinKeys.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand("""
            WITH added AS (
                INSERT INTO history_twin (twin_id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (twin_id) DO NOTHING
                RETURNING twin_key, twin_id)
            SELECT twin_key, twin_id FROM added
            UNION ALL
            SELECT twin_key, twin_id FROM history_twin WHERE twin_id = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = missing });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _twinKeys[reader.GetString(1)] = reader.GetInt32(0);
        }
    }

    private async Task EnsureLayoutsAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken)
    {
        var missing = new Dictionary<(string, string), HistoryRecord>();
        foreach (var record in records)
        {
            var key = (record.Source, LayoutKey(record.Names));
            if (!_layoutIds.ContainsKey(key))
            {
                missing.TryAdd(key, record);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        foreach (var record in missing.Values)
        {
            await using var command = _dataSource.CreateCommand("""
                INSERT INTO history_layout (source, names) VALUES ($1, $2) ON CONFLICT (source, names) DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Source });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. record.Names] });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await LoadLayoutsAsync(cancellationToken);
    }

    /// <summary>Creates the partitions of <paramref name="days"/> as needed; returns the days that may be written (not exported or dropped).</summary>
    private async Task<HashSet<DateOnly>> EnsureDaysAsync(IReadOnlyList<DateOnly> days, CancellationToken cancellationToken)
    {
        var missing = days.Where(d => !_writableDays.ContainsKey(d)).ToList();
        if (missing.Count > 0)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({HistoryPartitions.DdlLockId})", cancellationToken);
            var closed = new HashSet<DateOnly>();
            await using (var read = new NpgsqlCommand("SELECT day FROM history_partition WHERE day = ANY($1) AND (dropped_at IS NOT NULL OR exported_at IS NOT NULL)", connection, transaction))
            {
                read.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = [.. missing] });
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    closed.Add(reader.GetFieldValue<DateOnly>(0));
                }
            }

            foreach (var day in missing.Where(d => !closed.Contains(d)))
            {
                var from = HistoryPartitions.Start(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var to = HistoryPartitions.Start(day.AddDays(1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                await Execute(connection, transaction,
                    $"CREATE TABLE IF NOT EXISTS {HistoryPartitions.NameOf(day)} PARTITION OF {HistoryPartitions.Table} " +
                    $"FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')", cancellationToken);
                await Execute(connection, transaction,
                    $"INSERT INTO history_partition (day) VALUES ('{from}') ON CONFLICT (day) DO NOTHING", cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            foreach (var day in missing)
            {
                _writableDays[day] = !closed.Contains(day);
            }
        }

        return days.Where(d => _writableDays.TryGetValue(d, out var ok) && ok).ToHashSet();
    }

    private async Task<ImmutableArray<HistoryChange>> ReadChangesAsync(string where, string twinId, DateTime a, DateTime? b, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT twin_id, at, operation, principal, before::text, after::text FROM history_change " + where);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = twinId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = a });
        if (b is { } end)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = end });
        }

        var changes = ImmutableArray.CreateBuilder<HistoryChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new HistoryChange(
                reader.GetString(0),
                new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return changes.ToImmutable();
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, type, cancellationToken);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static string LayoutKey(ImmutableArray<string> names) => string.Join('\u001f', names);

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private sealed record Selection(int[] Layouts, int[] Positions, int[] Names)
    {
        /// <summary>Per layout: the positions it answers and the name number of each.</summary>
        public IEnumerable<(int Layout, int[] Positions, int[] Names)> ByLayout() =>
            Layouts.Select((layout, i) => (layout, i)).GroupBy(x => x.layout)
                .Select(g => (g.Key, g.Select(x => Positions[x.i]).ToArray(), g.Select(x => Names[x.i]).ToArray()));
    }
}
