using TwinCluster.Storage;
using Xunit;

namespace TwinCluster.Integration.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for every test in <see cref="PostgresCollection"/>; each test asks for its own database.
/// When PostgreSQL is not installed the server is not started and the tests that ask for a database are skipped.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    /// <summary>Why tests are skipped here, or null when a server runs.</summary>
    public string? SkipReason { get; private set; }

    public PostgresServer Server
    {
        get
        {
            if (_server is null)
            {
                Assert.Skip(SkipReason ?? "The PostgreSQL server is not running.");
            }

            return _server;
        }
    }

    public async ValueTask InitializeAsync()
    {
        SkipReason = PostgresServer.UnavailableReason;
        if (SkipReason is null)
        {
            _server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A new, empty database; skips the calling test when PostgreSQL is unavailable.</summary>
    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        Server.CreateDatabaseAsync(cancellationToken: cancellationToken);

    /// <summary>A new database with TwinCluster's schema (<see cref="PostgresMigrator"/>) applied.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var connectionString = await CreateDatabaseAsync(cancellationToken);
        await PostgresMigrator.MigrateAsync(connectionString, cancellationToken: cancellationToken);
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
