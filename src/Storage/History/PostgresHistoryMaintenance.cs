using Npgsql;
using NpgsqlTypes;

namespace TwinCluster.Storage.History;

/// <summary>
/// Moves history down the tiers: a day's partition that has closed (its end plus <see cref="HistoryOptions.CloseAfter"/>
/// is past) is rolled up once into minute, hour and day rows, in one transaction with the mark that it is done, so a
/// crash rolls back all of it and a rerun neither loses nor doubles; a day past <see cref="HistoryOptions.HotRetention"/>
/// is exported to a Parquet file (written under a temporary name and renamed, then indexed and dropped in one
/// transaction) or, without a cold directory, dropped; rollups past <see cref="HistoryOptions.WarmRetention"/> are
/// deleted. One process at a time runs it (a session advisory lock).
/// </summary>
public sealed class PostgresHistoryMaintenance(NpgsqlDataSource dataSource, HistoryOptions options)
{
    private static readonly int[] Resolutions = [60, 3600, 86400];

    /// <summary>Called just before each rollup or export commits, with what is about to commit (tests use it to crash there).</summary>
    public Func<string, CancellationToken, Task>? BeforeCommit { get; set; }

    /// <summary>Runs every step that is due at <paramref name="nowUtc"/>.</summary>
    public async Task<HistoryMaintenanceReport> RunAsync(DateTime nowUtc, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        // A private session: the lock goes with it if this process dies.
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({HistoryPartitions.MaintenanceLockId})", lockConnection))
        {
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                log?.Invoke("History maintenance is running in another process; nothing done.");
                return new HistoryMaintenanceReport(false, [], [], [], 0);
            }
        }

        try
        {
            var states = await HistoryPartitionState.LoadAsync(dataSource, DateOnly.MinValue, DateOnly.MaxValue, cancellationToken);
            var rolled = new List<DateOnly>();
            foreach (var state in states.Where(s => s.Hot && !s.RolledUp && HistoryPartitions.Start(s.Day.AddDays(1)) + options.CloseAfter <= nowUtc))
            {
                var rows = await RollUpAsync(state.Day, cancellationToken);
                log?.Invoke($"Rolled up {state.Day:yyyy-MM-dd}: {rows:N0} rows into minute, hour and day rollups.");
                rolled.Add(state.Day);
            }

            var exported = new List<DateOnly>();
            var dropped = new List<DateOnly>();
            var hotCutoff = nowUtc - options.HotRetention;
            foreach (var state in states.Where(s => s.Hot && HistoryPartitions.Start(s.Day.AddDays(1)) <= hotCutoff))
            {
                if (options.ColdDirectory is not null)
                {
                    var (points, bytes) = await ExportAsync(state.Day, cancellationToken);
                    log?.Invoke($"Exported {state.Day:yyyy-MM-dd} to {HistoryPartitions.ColdFileOf(state.Day)}: {points:N0} points, {bytes:N0} bytes; hot partition dropped.");
                    exported.Add(state.Day);
                }
                else
                {
                    await DropAsync(state.Day, cancellationToken);
                    log?.Invoke($"Dropped {state.Day:yyyy-MM-dd} from the hot tier (no cold directory).");
                    dropped.Add(state.Day);
                }
            }

            // One statement, so the days are marked exactly when their rollups go: a marked day is read from its hot
            // partition or cold file, no longer from rollups that miss part of it.
            long deleted;
            var warmCutoff = DateTime.SpecifyKind(nowUtc - options.WarmRetention, DateTimeKind.Utc);
            await using (var expire = dataSource.CreateCommand("""
                WITH gone AS (DELETE FROM history_rollup WHERE bucket < $1 RETURNING 1),
                     marked AS (UPDATE history_partition SET warm_expired_at = now()
                                WHERE rolled_up_at IS NOT NULL AND warm_expired_at IS NULL AND day <= $2 RETURNING 1)
                SELECT count(*) FROM gone
                """))
            {
                expire.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = warmCutoff });
                expire.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = HistoryPartitions.DayOf(warmCutoff.AddTicks(-1)) });
                deleted = Convert.ToInt64(await expire.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (deleted > 0)
            {
                log?.Invoke($"Deleted {deleted:N0} rollup rows older than {HistorySteps.Format(options.WarmRetention)}.");
            }

            return new HistoryMaintenanceReport(true, rolled, exported, dropped, deleted);
        }
        finally
        {
            if (lockConnection.FullState == System.Data.ConnectionState.Open)
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({HistoryPartitions.MaintenanceLockId})", lockConnection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Rolls up one day's partition (read once, in key order) and marks it done, all in one transaction.</summary>
    /// <returns>The hot rows read.</returns>
    public async Task<long> RollUpAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var partition = HistoryPartitions.NameOf(day);
        var start = HistoryPartitions.Start(day);
        await using var write = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await write.BeginTransactionAsync(cancellationToken);
        // Late rows wait until this commits, so the rollup holds every row the partition has when it is marked done.
        await Execute(write, transaction, $"LOCK TABLE {partition} IN SHARE MODE", cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM history_rollup WHERE bucket >= $1 AND bucket < $2", write, transaction))
        {
            clear.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = start });
            clear.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = start.AddDays(1) });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        long rows = 0;
        await using (var read = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var source = await read.BeginBinaryExportAsync(
                $"COPY (SELECT twin_key, layout_id, ts, vals FROM {partition} ORDER BY twin_key, layout_id, ts) TO STDOUT (FORMAT BINARY)", cancellationToken);
            await using var target = await write.BeginBinaryImportAsync(
                "COPY history_rollup (resolution, twin_key, layout_id, bucket, last_ts, n, mn, mx, sm, lst) FROM STDIN (FORMAT BINARY)", cancellationToken);
            var accumulators = Resolutions.Select(r => new RollupAccumulator(r)).ToArray();
            (int Twin, int Layout) current = (-1, -1);
            while (await source.StartRowAsync(cancellationToken) != -1)
            {
                var key = (await source.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken), await source.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken));
                var ticks = (await source.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz, cancellationToken)).Ticks;
                var values = await source.ReadAsync<float[]>(NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken);
                rows++;
                foreach (var acc in accumulators)
                {
                    var bucket = acc.BucketOf(ticks);
                    if (key != current || acc.BucketTicks != bucket || acc.N.Length != values.Length)
                    {
                        await EmitAsync(target, current, acc, cancellationToken);
                        acc.Start(bucket, values.Length);
                    }

                    acc.Add(ticks, values);
                }

                current = key;
            }

            foreach (var acc in accumulators)
            {
                await EmitAsync(target, current, acc, cancellationToken);
            }

            await target.CompleteAsync(cancellationToken);
        }

        await using (var mark = new NpgsqlCommand("UPDATE history_partition SET rolled_up_at = now(), hot_rows = $2 WHERE day = $1", write, transaction))
        {
            mark.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
            mark.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rows });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        if (BeforeCommit is { } hook)
        {
            await hook($"rollup {day:yyyy-MM-dd}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// Exports one day to its Parquet file and drops the partition. The file is complete and renamed into place before
    /// the transaction that indexes it and drops the partition commits; a crash before the commit leaves the day hot
    /// (and the file is written again by the rerun), after it the day is cold.
    /// </summary>
    /// <returns>Points and bytes in the file.</returns>
    public async Task<(long Points, long Bytes)> ExportAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var directory = options.ColdDirectory ?? throw new InvalidOperationException("TwinCluster:History:ColdDirectory is not set");
        var relative = HistoryPartitions.ColdFileOf(day);
        var path = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partition = HistoryPartitions.NameOf(day);
        var layouts = (await new PostgresHistoryStore(dataSource, options).LoadLayoutsAsync(cancellationToken)).ToDictionary(l => l.Id);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({HistoryPartitions.DdlLockId})", cancellationToken);
        // No row can arrive between the read and the drop.
        await Execute(connection, transaction, $"LOCK TABLE {partition} IN EXCLUSIVE MODE", cancellationToken);
        var temporary = path + ".tmp";
        long points;
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await using (var writer = await ParquetHistoryFile.Writer.CreateAsync(file, cancellationToken))
            {
                // Ordered by twin id so row groups cover narrow twin ranges.
                await using var source = await connection.BeginBinaryExportAsync(
                    $"COPY (SELECT t.twin_id, p.layout_id, p.ts, p.vals FROM {partition} p JOIN history_twin t USING (twin_key) ORDER BY t.twin_id COLLATE \"C\", p.layout_id, p.ts) TO STDOUT (FORMAT BINARY)",
                    cancellationToken);
                while (await source.StartRowAsync(cancellationToken) != -1)
                {
                    var twin = await source.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
                    var layout = layouts[await source.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken)];
                    var ts = await source.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz, cancellationToken);
                    var values = await source.ReadAsync<float[]>(NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken);
                    for (var i = 0; i < values.Length && i < layout.Names.Length; i++)
                    {
                        await writer.AddAsync(twin, layout.Names[i], ts, values[i], cancellationToken);
                    }
                }

                points = writer.Points;
            }

            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        var bytes = new FileInfo(path).Length;
        await using (var mark = new NpgsqlCommand("""
            UPDATE history_partition SET exported_at = now(), cold_path = $2, cold_points = $3, cold_bytes = $4, dropped_at = now()
            WHERE day = $1
            """, connection, transaction))
        {
            mark.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
            mark.Parameters.Add(new NpgsqlParameter<string> { TypedValue = relative });
            mark.Parameters.Add(new NpgsqlParameter<long> { TypedValue = points });
            mark.Parameters.Add(new NpgsqlParameter<long> { TypedValue = bytes });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await Execute(connection, transaction, $"DROP TABLE {partition}", cancellationToken);
        if (BeforeCommit is { } hook)
        {
            await hook($"export {day:yyyy-MM-dd}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (points, bytes);
    }

    /// <summary>Drops one day's partition without export.</summary>
    public async Task DropAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({HistoryPartitions.DdlLockId})", cancellationToken);
        await Execute(connection, transaction, $"DROP TABLE IF EXISTS {HistoryPartitions.NameOf(day)}", cancellationToken);
        await using (var mark = new NpgsqlCommand("UPDATE history_partition SET dropped_at = now() WHERE day = $1", connection, transaction))
        {
            mark.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task EmitAsync(NpgsqlBinaryImporter target, (int Twin, int Layout) key, RollupAccumulator acc, CancellationToken cancellationToken)
    {
        if (acc.IsEmpty || key.Twin < 0)
        {
            return;
        }

        await target.StartRowAsync(cancellationToken);
        await target.WriteAsync(acc.Resolution, NpgsqlDbType.Integer, cancellationToken);
        await target.WriteAsync(key.Twin, NpgsqlDbType.Integer, cancellationToken);
        await target.WriteAsync(key.Layout, NpgsqlDbType.Integer, cancellationToken);
        await target.WriteAsync(new DateTime(acc.BucketTicks, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, cancellationToken);
        await target.WriteAsync(new DateTime(acc.LastTicks, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, cancellationToken);
        await target.WriteAsync(acc.N, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
        await target.WriteAsync(acc.Min, NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken);
        await target.WriteAsync(acc.Max, NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken);
        await target.WriteAsync(acc.Sum, NpgsqlDbType.Array | NpgsqlDbType.Double, cancellationToken);
        await target.WriteAsync(acc.Last, NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken);
        acc.Clear();
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
