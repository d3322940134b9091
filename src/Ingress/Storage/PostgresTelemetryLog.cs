using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

/// <summary>
/// The durable telemetry log on PostgreSQL (tables from migration 0020_telemetry): a batch is binary-COPYed into a
/// transaction-local staging table, its (twin, seq) keys are claimed in <c>telemetry_seq</c> with
/// <c>ON CONFLICT DO NOTHING</c>, and only the newly claimed rows go into <c>telemetry_log</c>, which is
/// partitioned by day on the message timestamp. Partitions are created on demand; retention drops whole days.
/// </summary>
public sealed class PostgresTelemetryLog : ITelemetryLog
{
    /// <summary>The partitioned log table.</summary>
    public const string LogTable = "telemetry_log";

    private const string PartitionPrefix = LogTable + "_p";
    private const string PartitionDayFormat = "yyyyMMdd";

    // Serialises partition DDL across processes ("TwinPart" as ASCII); held only for the short DDL transaction.
    private const long PartitionLockId = 0x5477696E50617274;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ConcurrentDictionary<DateOnly, bool> _knownDays = new();

    /// <summary>Uses <paramref name="dataSource"/> for every command; the caller owns and disposes it.</summary>
    public PostgresTelemetryLog(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <inheritdoc />
    public bool IsDurable => true;

    /// <inheritdoc cref="ITelemetryLog.AppendAsync" />
    public async Task<int> AppendAsync(IReadOnlyList<TelemetryMessage> batch, CancellationToken cancellationToken = default) =>
        (await AppendNewAsync(batch, cancellationToken)).Count;

    /// <inheritdoc />
    public async Task<IReadOnlyList<TelemetryMessage>> AppendNewAsync(IReadOnlyList<TelemetryMessage> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var unique = DistinctByKey(batch);
        if (unique.Count == 0)
        {
            return [];
        }

        try
        {
            return await AppendUniqueAsync(unique, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            // "No partition for the row": another process dropped a day this one still had cached. Re-check once.
            _knownDays.Clear();
            return await AppendUniqueAsync(unique, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<TelemetryMessage>> AppendUniqueAsync(List<TelemetryMessage> unique, CancellationToken cancellationToken)
    {
        await EnsurePartitionsAsync(unique.Select(m => DayOf(m.Timestamp)).Distinct(), cancellationToken);

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction,
            $"CREATE TEMP TABLE telemetry_staging (LIKE {LogTable} INCLUDING STORAGE) ON COMMIT DROP", cancellationToken);

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY telemetry_staging (twin_id, seq, ts, sample_rate_hz, wire_format, channel_names, channel_units, " +
            "channel_scalar, channel_lengths, sample_width, samples) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var message in unique)
            {
                var width = TelemetrySamples.WidthOf(message);
                var channels = message.Channels;
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(message.TwinId.Value, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(message.Seq, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(message.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                if (message.SampleRateHz is { } rate)
                {
                    await importer.WriteAsync(rate, NpgsqlDbType.Double, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }

                await importer.WriteAsync((short)message.Format, NpgsqlDbType.Smallint, cancellationToken);
                await importer.WriteAsync(channels.Select(c => c.Name).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(channels.Select(c => c.Unit).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(channels.Select(c => c.IsScalar).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Boolean, cancellationToken);
                await importer.WriteAsync(channels.Select(c => c.Values.Length).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync((short)width, NpgsqlDbType.Smallint, cancellationToken);
                await importer.WriteAsync(TelemetrySamples.Pack(message, width), NpgsqlDbType.Bytea, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        // Keys are claimed in (twin, seq) order, so two overlapping batches lock them in the same order: no deadlock.
        var added = new HashSet<(string, long)>();
        await using (var insert = new NpgsqlCommand($"""
            WITH claimed AS (
                INSERT INTO telemetry_seq (twin_id, seq, ts)
                SELECT twin_id, seq, ts FROM telemetry_staging ORDER BY twin_id, seq
                ON CONFLICT (twin_id, seq) DO NOTHING
                RETURNING twin_id, seq)
            INSERT INTO {LogTable}
            SELECT s.* FROM telemetry_staging s JOIN claimed c USING (twin_id, seq)
            RETURNING twin_id, seq
            """, connection, transaction))
        {
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                added.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return added.Count == unique.Count ? unique : unique.Where(m => added.Contains((m.TwinId.Value, m.Seq))).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TelemetryMessage>> ReadAsync(
        TwinId twinId, long fromSeqInclusive, long toSeqInclusive, CancellationToken cancellationToken = default, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand($"""
            SELECT seq, ts, sample_rate_hz, wire_format, channel_names, channel_units, channel_scalar, channel_lengths,
                   sample_width, samples
            FROM {LogTable}
            WHERE twin_id = $1 AND seq BETWEEN $2 AND $3
            ORDER BY seq
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = twinId.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromSeqInclusive });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toSeqInclusive });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = limit });

        var messages = new List<TelemetryMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var channels = TelemetrySamples.Unpack(
                reader.GetFieldValue<string[]>(4),
                reader.GetFieldValue<string?[]>(5),
                reader.GetFieldValue<bool[]>(6),
                reader.GetFieldValue<int[]>(7),
                reader.GetInt16(8),
                reader.GetFieldValue<byte[]>(9));
            messages.Add(new TelemetryMessage(
                twinId,
                reader.GetInt64(0),
                new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero),
                reader.IsDBNull(2) ? null : reader.GetDouble(2),
                channels,
                (WireFormat)reader.GetInt16(3)));
        }

        return messages;
    }

    /// <inheritdoc />
    public async Task<long?> LastSeqAsync(TwinId twinId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT max(seq) FROM telemetry_seq WHERE twin_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = twinId.Value });
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is long seq ? seq : null;
    }

    /// <summary>
    /// Retention: drops every daily partition that ends at or before <paramref name="cutoff"/> (so nothing newer is
    /// lost) and forgets the (twin, seq) keys of those days.
    /// </summary>
    /// <returns>The names of the dropped partitions, oldest first.</returns>
    public async Task<IReadOnlyList<string>> DropPartitionsOlderThanAsync(
        DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var doomed = (await ListPartitionsAsync(cancellationToken))
            .Where(p => new DateTimeOffset(p.Day.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero) <= cutoff)
            .ToList();
        if (doomed.Count == 0)
        {
            return [];
        }

        var end = new DateTimeOffset(doomed[^1].Day.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PartitionLockId})", cancellationToken);
        foreach (var (name, day) in doomed)
        {
            await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {name}", cancellationToken);
            _knownDays.TryRemove(day, out _);
        }

        await using (var forget = new NpgsqlCommand("DELETE FROM telemetry_seq WHERE ts < $1", connection, transaction))
        {
            forget.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = end.UtcDateTime });
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return doomed.Select(p => p.Name).ToList();
    }

    /// <summary>
    /// Retention as a setting: drops the days that ended more than <paramref name="retention"/> before now
    /// (<paramref name="timeProvider"/>, the system clock by default). Call it periodically, e.g. hourly.
    /// </summary>
    /// <returns>The names of the dropped partitions, oldest first.</returns>
    public Task<IReadOnlyList<string>> ApplyRetentionAsync(
        TimeSpan retention, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.FromDays(1));
        return DropPartitionsOlderThanAsync((timeProvider ?? TimeProvider.System).GetUtcNow() - retention, cancellationToken);
    }

    /// <summary>The daily partitions that exist now, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListPartitionNamesAsync(CancellationToken cancellationToken = default) =>
        (await ListPartitionsAsync(cancellationToken)).Select(p => p.Name).ToList();

    /// <summary>The partition that holds messages with timestamp <paramref name="timestamp"/>.</summary>
    public static string PartitionNameOf(DateTimeOffset timestamp) =>
        PartitionPrefix + DayOf(timestamp).ToString(PartitionDayFormat, CultureInfo.InvariantCulture);

    private async Task<List<(string Name, DateOnly Day)>> ListPartitionsAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '{LogTable}'::regclass
            """);
        var partitions = new List<(string, DateOnly)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            // Only our own daily partitions; anything an operator attached by hand is left alone.
            if (name.StartsWith(PartitionPrefix, StringComparison.Ordinal)
                && DateOnly.TryParseExact(name[PartitionPrefix.Length..], PartitionDayFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var day))
            {
                partitions.Add((name, day));
            }
        }

        partitions.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return partitions;
    }

    private async Task EnsurePartitionsAsync(IEnumerable<DateOnly> days, CancellationToken cancellationToken)
    {
        var missing = days.Where(d => !_knownDays.ContainsKey(d)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        // CREATE TABLE IF NOT EXISTS alone races (two sessions can both pass the check); the advisory lock makes the
        // check and the create one step across every ingress process.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PartitionLockId})", cancellationToken);
        foreach (var day in missing)
        {
            var from = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var to = day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await ExecuteAsync(connection, transaction,
                $"CREATE TABLE IF NOT EXISTS {PartitionPrefix}{day.ToString(PartitionDayFormat, CultureInfo.InvariantCulture)} " +
                $"PARTITION OF {LogTable} FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')",
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var day in missing)
        {
            _knownDays[day] = true;
        }
    }

    private static List<TelemetryMessage> DistinctByKey(IReadOnlyList<TelemetryMessage> batch)
    {
        var seen = new HashSet<(string, long)>();
        var unique = new List<TelemetryMessage>(batch.Count);
        foreach (var message in batch)
        {
            ArgumentNullException.ThrowIfNull(message);
            if (seen.Add((message.TwinId.Value, message.Seq)))
            {
                unique.Add(message);
            }
        }

        return unique;
    }

    private static DateOnly DayOf(DateTimeOffset timestamp) => DateOnly.FromDateTime(timestamp.UtcDateTime);

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
