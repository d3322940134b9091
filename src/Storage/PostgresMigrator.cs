using Npgsql;

namespace TwinCluster.Storage;

/// <summary>
/// Applies TwinCluster's numbered SQL scripts (Migrations/*.sql, embedded) to a PostgreSQL database: the tables and
/// stored statements Orleans' ADO.NET clustering, persistence and reminder providers need.
/// </summary>
/// <remarks>
/// Each script runs in its own transaction and is recorded in <see cref="HistoryTable"/> with its SHA-256, so running
/// again is a no-op. The whole run holds a session advisory lock, so silos starting together apply each script once.
/// A recorded script whose checksum differs from the embedded one stops the run before anything is applied.
/// </remarks>
public static class PostgresMigrator
{
    /// <summary>The table that records applied scripts.</summary>
    public const string HistoryTable = "twincluster_schema_migrations";

    // Advisory lock id reserved for schema migrations ("TwinMigr" as ASCII); locks are per database.
    private const long AdvisoryLockId = 0x5477696E4D696772;

    private static readonly Lazy<IReadOnlyList<MigrationScript>> Scripts = new(MigrationScript.LoadEmbedded);

    /// <summary>The names of the embedded scripts, in the order they apply (e.g. <c>0001_orleans_core</c>).</summary>
    public static IReadOnlyList<string> ScriptNames => Scripts.Value.Select(s => s.Name).ToList();

    /// <summary>Brings the database up to date. Safe to call from several processes at once.</summary>
    /// <param name="connectionString">A connection string that passes <see cref="PostgresConnection.Validate"/>.</param>
    /// <param name="log">Receives one line per step, if given.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock or a running script (its transaction rolls back).</param>
    /// <returns>Which scripts this call applied and which were already there.</returns>
    public static async Task<MigrationReport> MigrateAsync(
        string connectionString, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var builder = PostgresConnection.Validate(connectionString);
        // A private session: closing it releases the advisory lock even if unlocking fails.
        builder.Pooling = false;
        var scripts = Scripts.Value;

        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        log?.Invoke($"Migrating database '{builder.Database}' on {builder.Host}:{builder.Port}: waiting for the migration lock.");
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockId})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"""
                CREATE TABLE IF NOT EXISTS {HistoryTable}
                (
                    script_name text        NOT NULL PRIMARY KEY,
                    checksum    text        NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var recorded = await ReadHistoryAsync(connection, cancellationToken);
            foreach (var script in scripts)
            {
                if (recorded.TryGetValue(script.Name, out var checksum) && checksum != script.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {script.Name} was applied to database '{builder.Database}' with checksum {checksum}, " +
                        $"but the script shipped now has checksum {script.Checksum}. An applied script must never change: " +
                        "restore it and put the change in a new numbered script.");
                }
            }

            foreach (var name in recorded.Keys.Except(scripts.Select(s => s.Name)))
            {
                log?.Invoke($"Database has migration {name}, which this version does not know; it is left as it is.");
            }

            var applied = new List<string>();
            var skipped = new List<string>();
            foreach (var script in scripts)
            {
                if (recorded.ContainsKey(script.Name))
                {
                    skipped.Add(script.Name);
                    continue;
                }

                await ApplyAsync(connection, script, cancellationToken);
                applied.Add(script.Name);
                log?.Invoke($"Applied migration {script.Name}.");
            }

            log?.Invoke(applied.Count == 0
                ? $"Schema is up to date ({skipped.Count} migrations already applied)."
                : $"Applied {applied.Count} migrations; {skipped.Count} were already applied.");
            return new MigrationReport(applied, skipped);
        }
        finally
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockId})", CancellationToken.None);
            }
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand(script.Sql, connection, transaction))
            {
                command.CommandTimeout = 300;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                $"INSERT INTO {HistoryTable} (script_name, checksum) VALUES (@name, @checksum)", connection, transaction))
            {
                record.Parameters.AddWithValue("name", script.Name);
                record.Parameters.AddWithValue("checksum", script.Checksum);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new InvalidOperationException(
                $"Migration {script.Name} failed and was rolled back: {ex.MessageText} (SQLSTATE {ex.SqlState}" +
                (ex.Position > 0 ? $", at character {ex.Position}" : "") + ").", ex);
        }
    }

    private static async Task<Dictionary<string, string>> ReadHistoryAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand($"SELECT script_name, checksum FROM {HistoryTable}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded[reader.GetString(0)] = reader.GetString(1);
        }

        return recorded;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
