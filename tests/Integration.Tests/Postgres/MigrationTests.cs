using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Storage;
using Xunit;

namespace TwinCluster.Integration.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    // Later numbered scripts (TwinCluster's own tables) apply after these.
    private static readonly string[] OrleansScripts =
        ["0001_orleans_core", "0002_orleans_clustering", "0003_orleans_persistence", "0004_orleans_reminders"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migration_on_an_empty_database_applies_every_script_in_order()
    {
        var db = await postgres.CreateDatabaseAsync(Ct);
        var log = new List<string>();

        var report = await PostgresMigrator.MigrateAsync(db, log.Add, Ct);

        Assert.Equal(PostgresMigrator.ScriptNames, report.Applied);
        Assert.Equal(OrleansScripts, report.Applied.Take(OrleansScripts.Length));
        Assert.Empty(report.AlreadyApplied);
        Assert.True(report.ChangedSchema);
        var recorded = await SchemaQueries.ListAsync<string>(
            db, $"SELECT script_name FROM {PostgresMigrator.HistoryTable} ORDER BY script_name", Ct);
        Assert.Equal(report.Applied, recorded);
        Assert.Contains(log, line => line.Contains("0004_orleans_reminders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Schema_provides_exactly_the_query_keys_the_Orleans_providers_require()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var required = ProviderQueryKeys.Required();

        var provided = await SchemaQueries.ListAsync<string>(db, "SELECT QueryKey FROM OrleansQuery", Ct);

        // 9 clustering, 7 reminder and 4 persistence keys in Orleans 10.4.2.
        Assert.Equal(20, required.Count);
        Assert.Equal(required.Order(StringComparer.Ordinal), provided.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Schema_creates_the_tables_the_statements_use()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);

        var tables = await SchemaQueries.ListAsync<string>(
            db, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", Ct);

        Assert.Superset(
            new HashSet<string>(
                ["orleans_grain_state", "orleans_membership", "orleans_membership_version", "orleans_reminder", "orleansquery",
                 PostgresMigrator.HistoryTable]),
            tables.ToHashSet());
    }

    [Fact]
    public async Task Running_the_migration_twice_changes_nothing()
    {
        var db = await postgres.CreateDatabaseAsync(Ct);
        await PostgresMigrator.MigrateAsync(db, cancellationToken: Ct);
        const string Snapshot = $"SELECT script_name || '|' || checksum || '|' || applied_at::text FROM {PostgresMigrator.HistoryTable} ORDER BY 1";
        var before = await SchemaQueries.ListAsync<string>(db, Snapshot, Ct);

        var second = await PostgresMigrator.MigrateAsync(db, cancellationToken: Ct);

        Assert.Empty(second.Applied);
        Assert.False(second.ChangedSchema);
        Assert.Equal(PostgresMigrator.ScriptNames, second.AlreadyApplied);
        Assert.Equal(before, await SchemaQueries.ListAsync<string>(db, Snapshot, Ct));
    }

    [Fact]
    public async Task Concurrent_migrations_apply_each_script_once_and_all_succeed()
    {
        var db = await postgres.CreateDatabaseAsync(Ct);

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresMigrator.MigrateAsync(db, cancellationToken: Ct)));

        Assert.Equal(PostgresMigrator.ScriptNames, reports.SelectMany(r => r.Applied).Order(StringComparer.Ordinal));
        Assert.Single(reports, r => r.ChangedSchema);
        var recorded = await SchemaQueries.ListAsync<long>(db, $"SELECT count(*) FROM {PostgresMigrator.HistoryTable}", Ct);
        Assert.Equal(PostgresMigrator.ScriptNames.Count, recorded.Single());
    }

    [Fact]
    public async Task A_recorded_script_with_a_different_checksum_fails_with_a_clear_error()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await SchemaQueries.ExecuteAsync(
            db, $"UPDATE {PostgresMigrator.HistoryTable} SET checksum = 'edited' WHERE script_name = '0003_orleans_persistence'", Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresMigrator.MigrateAsync(db, cancellationToken: Ct));

        Assert.Contains("0003_orleans_persistence", error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_script_is_rolled_back_and_named()
    {
        var db = await postgres.CreateDatabaseAsync(Ct);
        // Occupy a name 0002 creates, so it fails after 0001 committed.
        await SchemaQueries.ExecuteAsync(db, "CREATE TABLE orleans_membership (x int)", Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresMigrator.MigrateAsync(db, cancellationToken: Ct));

        Assert.Contains("0002_orleans_clustering", error.Message, StringComparison.Ordinal);
        Assert.Equal(
            ["0001_orleans_core"],
            await SchemaQueries.ListAsync<string>(db, $"SELECT script_name FROM {PostgresMigrator.HistoryTable}", Ct));
        Assert.Empty(await SchemaQueries.ListAsync<string>(db, "SELECT QueryKey FROM OrleansQuery", Ct));
    }
}
