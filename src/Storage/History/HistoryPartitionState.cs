using Npgsql;

namespace TwinCluster.Storage.History;

/// <summary>One row of history_partition: where a day's history is now (WarmExpired: warm retention has deleted some or all of its rollups, migration 0035).</summary>
public sealed record HistoryPartitionState(
    DateOnly Day, bool RolledUp, long? HotRows, bool Exported, string? ColdPath, long? ColdPoints, long? ColdBytes, bool Dropped, bool WarmExpired = false)
{
    /// <summary>True while the day's hot partition exists.</summary>
    public bool Hot => !Dropped;

    /// <summary>The days in [first, last] that have a row, in order.</summary>
    public static async Task<IReadOnlyList<HistoryPartitionState>> LoadAsync(
        NpgsqlDataSource dataSource, DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT day, rolled_up_at IS NOT NULL, hot_rows, exported_at IS NOT NULL, cold_path, cold_points, cold_bytes, dropped_at IS NOT NULL,
                   warm_expired_at IS NOT NULL
            FROM history_partition WHERE day BETWEEN $1 AND $2 ORDER BY day
            """);
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = first });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = last });
        var states = new List<HistoryPartitionState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(new HistoryPartitionState(
                reader.GetFieldValue<DateOnly>(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.GetBoolean(7), reader.GetBoolean(8)));
        }

        return states;
    }
}
