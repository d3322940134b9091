using System.Text;
using Npgsql;
using NpgsqlTypes;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

/// <summary>
/// The dead-letter store on PostgreSQL (table <c>telemetry_dead_letter</c> from migration 0020_telemetry): batches
/// go in by binary COPY; listing is keyset-paged on (received_at, id), newest first.
/// </summary>
public sealed class PostgresDeadLetterStore : IDeadLetterStore
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Uses <paramref name="dataSource"/> for every command; the caller owns and disposes it.</summary>
    public PostgresDeadLetterStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <inheritdoc />
    public async Task AddAsync(IReadOnlyList<DeadLetter> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // One COPY is one statement, so the batch is stored all or nothing.
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY telemetry_dead_letter (received_at, topic, twin_id, reason, message, payload_prefix, size) " +
            "FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var letter in batch)
        {
            ArgumentNullException.ThrowIfNull(letter);
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(letter.ReceivedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(letter.Topic, NpgsqlDbType.Text, cancellationToken);
            if (letter.TwinId is { } twin)
            {
                await importer.WriteAsync(twin.Value, NpgsqlDbType.Text, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            await importer.WriteAsync(letter.Reason.ToCode(), NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(letter.Message, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(letter.StoredPrefix(), NpgsqlDbType.Bytea, cancellationToken);
            await importer.WriteAsync(letter.Size, NpgsqlDbType.Integer, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var cursor = DeadLetterCursor.Parse(query.Continuation);
        var pageSize = query.EffectivePageSize;
        await using var command = _dataSource.CreateCommand();
        var sql = new StringBuilder(
            "SELECT id, received_at, topic, twin_id, reason, message, payload_prefix, size FROM telemetry_dead_letter WHERE true");
        if (query.TwinId is { } twin)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = twin.Value });
            sql.Append(" AND twin_id = $").Append(command.Parameters.Count);
        }

        if (query.Reason is { } reason)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason.ToCode() });
            sql.Append(" AND reason = $").Append(command.Parameters.Count);
        }

        if (query.Since is { } since)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = since.UtcDateTime });
            sql.Append(" AND received_at >= $").Append(command.Parameters.Count);
        }

        if (cursor is { } after)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = new DateTime(after.UtcTicks, DateTimeKind.Utc) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Id });
            sql.Append(" AND (received_at, id) < ($").Append(command.Parameters.Count - 1)
                .Append(", $").Append(command.Parameters.Count).Append(')');
        }

        // One extra row tells whether another page follows.
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize + 1 });
        sql.Append(" ORDER BY received_at DESC, id DESC LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();

        var items = new List<DeadLetter>();
        DeadLetterCursor last = default;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == pageSize)
            {
                more = true;
                break;
            }

            var receivedAt = reader.GetFieldValue<DateTime>(1);
            var code = reader.GetString(4);
            if (!DeadLetterReasonCodes.TryParse(code, out var parsed))
            {
                throw new InvalidDataException($"Dead letter {reader.GetInt64(0)} has the unknown reason code '{code}'.");
            }

            items.Add(new DeadLetter(
                new DateTimeOffset(receivedAt, TimeSpan.Zero),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : new TwinId(reader.GetString(3)),
                parsed,
                reader.GetString(5),
                reader.GetFieldValue<byte[]>(6),
                reader.GetInt32(7)));
            last = new DeadLetterCursor(receivedAt.Ticks, reader.GetInt64(0));
        }

        return new DeadLetterPage(items, more ? last.ToString() : null);
    }

    /// <summary>Retention: deletes the dead letters received before <paramref name="cutoff"/>.</summary>
    /// <returns>How many were deleted.</returns>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM telemetry_dead_letter WHERE received_at < $1");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = cutoff.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<DeadLetterReason, long>> CountByReasonAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT reason, count(*) FROM telemetry_dead_letter GROUP BY reason");
        var counts = new Dictionary<DeadLetterReason, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // A code this version does not know (written by a newer one) is not counted rather than failing the call.
            if (DeadLetterReasonCodes.TryParse(reader.GetString(0), out var reason))
            {
                counts[reason] = reader.GetInt64(1);
            }
        }

        return counts;
    }
}
