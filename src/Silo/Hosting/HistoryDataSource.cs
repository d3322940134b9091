using Npgsql;

namespace TwinCluster.Silo.Hosting;

/// <summary>The history's own connection pool (kept apart from the telemetry log's), disposed with the host.</summary>
public sealed class HistoryDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    /// <summary>The pool.</summary>
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
