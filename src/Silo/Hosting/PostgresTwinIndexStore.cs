using Npgsql;
using NpgsqlTypes;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Silo.Hosting;

/// <summary>PostgreSQL mode's index store: one row per twin, batches written with one statement.</summary>
public sealed class PostgresTwinIndexStore(string connectionString) : ITwinIndexStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public async Task<IReadOnlyCollection<IndexEntry>> Load(int shard, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(
            "SELECT twin_id, model_id, properties::text, parent_id FROM twincluster_twin_index WHERE shard = $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<IndexEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new IndexEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return entries;
    }

    public async Task Upsert(int shard, IReadOnlyCollection<IndexEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var command = _source.CreateCommand("""
            INSERT INTO twincluster_twin_index (twin_id, shard, model_id, properties, parent_id)
            SELECT u.id, $1, u.model, u.props::jsonb, u.parent FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, model, props, parent)
            ON CONFLICT (twin_id) DO UPDATE SET shard = EXCLUDED.shard, model_id = EXCLUDED.model_id,
                properties = EXCLUDED.properties, parent_id = EXCLUDED.parent_id
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        command.Parameters.Add(Array([.. entries.Select(e => e.TwinId)]));
        command.Parameters.Add(Array([.. entries.Select(e => e.ModelId)]));
        command.Parameters.Add(Array([.. entries.Select(e => e.PropertiesJson)]));
        command.Parameters.Add(Array([.. entries.Select(e => e.ParentId)]));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task Remove(int shard, IReadOnlyCollection<string> twinIds, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("DELETE FROM twincluster_twin_index WHERE twin_id = ANY($1)");
        command.Parameters.Add(Array([.. twinIds]));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private static NpgsqlParameter Array(string?[] values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values };
}
