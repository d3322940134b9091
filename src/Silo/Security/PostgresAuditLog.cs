using Npgsql;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;

namespace TwinCluster.Silo.Security;

/// <summary>The audit log of PostgreSQL mode: table <c>security_audit</c> (migration 0050), one row per entry.</summary>
public sealed class PostgresAuditLog(NpgsqlDataSource source) : IAuditLog, IDisposable
{
    /// <inheritdoc />
    public bool IsDurable => true;

    /// <inheritdoc />
    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = source.CreateCommand(
            "INSERT INTO security_audit (at, principal, operation, target, twin_id, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Time.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Principal });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Operation });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Target });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.TwinId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Outcome });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Detail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = source.CreateCommand(
            "SELECT at, principal, operation, target, twin_id, outcome, detail FROM security_audit " +
            "WHERE ($1::text IS NULL OR twin_id = $1) AND ($2::text IS NULL OR principal = $2) AND ($3::timestamptz IS NULL OR at >= $3) " +
            "ORDER BY at DESC, id DESC LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.TwinId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Principal ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Since is { } since ? since.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(query.Limit, 1, 100_000) });
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero),
                reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return entries;
    }

    /// <inheritdoc />
    public void Dispose() => source.Dispose();
}
