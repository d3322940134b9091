using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;

namespace TwinCluster.Integration.Tests.Postgres;

/// <summary>A real silo on the migrated schema: clustering, grain state across a restart, ETag conflicts, reminders.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansOnPostgresTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewClusterId() => $"cluster-{Guid.NewGuid():N}";

    [Fact]
    public async Task Grain_state_written_by_one_silo_is_read_by_the_next()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var clusterId = NewClusterId();
        var key = $"note-{Guid.NewGuid():N}";

        await using (var first = await TestSilo.StartAsync(db, clusterId, Ct))
        {
            await first.Grains.GetGrain<INoteGrain>(key).Write("hello");
            await first.Grains.GetGrain<INoteGrain>(key).Write("hello again");
        }

        await using var second = await TestSilo.StartAsync(db, clusterId, Ct);
        var note = await second.Grains.GetGrain<INoteGrain>(key).Read();

        Assert.Equal("hello again", note.Text);
        Assert.Equal(2, note.Writes);
        // The stopped silo recorded itself Dead (6), the running one is Active (3): membership writes went through.
        var statuses = await SchemaQueries.ListAsync<int>(
            db, $"SELECT status FROM orleans_membership WHERE deployment_id = '{clusterId}' ORDER BY start_time", Ct);
        Assert.Equal([6, 3], statuses);
        var versions = await SchemaQueries.ListAsync<int>(
            db, $"SELECT version FROM orleans_grain_state WHERE grain_id_extension LIKE '%{key}%'", Ct);
        Assert.Equal([2], versions);
    }

    [Fact]
    public async Task A_client_finds_the_silo_through_the_membership_table()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var clusterId = NewClusterId();
        var key = $"note-{Guid.NewGuid():N}";
        await using var silo = await TestSilo.StartAsync(db, clusterId, Ct);
        await silo.Grains.GetGrain<INoteGrain>(key).Write("from the silo");

        await using var client = await TestClient.ConnectAsync(db, clusterId, Ct);
        var note = await client.Client.GetGrain<INoteGrain>(key).Read();

        Assert.Equal("from the silo", note.Text);
    }

    [Fact]
    public async Task Stale_etag_is_rejected_by_grain_storage()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var silo = await TestSilo.StartAsync(db, NewClusterId(), Ct);
        var storage = silo.Host.Services.GetRequiredKeyedService<IGrainStorage>(TestSilo.StorageName);
        var grainId = GrainId.Create("tc-test-note", Guid.NewGuid().ToString("N"));
        const string StateName = "note";

        var current = new GrainState<NoteState>(new NoteState { Text = "v1" });
        await storage.WriteStateAsync(StateName, grainId, current);
        var stale = new GrainState<NoteState>(new NoteState { Text = "stale" }) { ETag = current.ETag };
        current.State = new NoteState { Text = "v2" };
        await storage.WriteStateAsync(StateName, grainId, current);

        Assert.NotEqual(stale.ETag, current.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, stale));
        // A second "first write" (no ETag) of an existing grain is a conflict too.
        var duplicate = new GrainState<NoteState>(new NoteState { Text = "duplicate" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, duplicate));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grainId, stale));

        var read = new GrainState<NoteState>();
        await storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("v2", read.State?.Text);
        Assert.Equal(current.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Clearing_state_keeps_or_deletes_the_row_as_configured()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var silo = await TestSilo.StartAsync(db, NewClusterId(), Ct);
        const string StateName = "note";

        foreach (var (provider, rowsAfterClear) in new[] { (TestSilo.StorageName, 1L), (TestSilo.DeletingStorageName, 0L) })
        {
            var storage = silo.Host.Services.GetRequiredKeyedService<IGrainStorage>(provider);
            // Not Guid-shaped: the provider stores a Guid-parsable key in its numeric columns instead.
            var key = $"note-{Guid.NewGuid():N}";
            var grainId = GrainId.Create("tc-test-note", key);
            var state = new GrainState<NoteState>(new NoteState { Text = "to clear" });
            await storage.WriteStateAsync(StateName, grainId, state);

            await storage.ClearStateAsync(StateName, grainId, state);

            var read = new GrainState<NoteState>();
            await storage.ReadStateAsync(StateName, grainId, read);
            Assert.False(read.RecordExists);
            Assert.Null(read.State?.Text);
            var rows = await SchemaQueries.ListAsync<long>(
                db, $"SELECT count(*) FROM orleans_grain_state WHERE grain_id_extension = '{key}'", Ct);
            Assert.Equal(rowsAfterClear, rows.Single());
            // After a clear the grain can write again from the ETag the clear gave it.
            await storage.WriteStateAsync(StateName, grainId, state);
        }
    }

    [Fact]
    public async Task Reminder_registers_survives_a_restart_and_unregisters()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var clusterId = NewClusterId();
        var key = $"reminded-{Guid.NewGuid():N}";

        await using (var first = await TestSilo.StartAsync(db, clusterId, Ct))
        {
            var grain = first.Grains.GetGrain<INoteGrain>(key);
            await grain.AddReminder("inspect");
            await grain.AddReminder("inspect");
            await grain.AddReminder("report");
            Assert.Equal(["inspect", "report"], await grain.ReminderNames());
        }

        var rows = await SchemaQueries.ListAsync<string>(
            db, $"SELECT reminder_name || ':' || version FROM orleans_reminder WHERE grain_id LIKE '%{key}' ORDER BY 1", Ct);
        Assert.Equal(["inspect:1", "report:0"], rows);

        await using var second = await TestSilo.StartAsync(db, clusterId, Ct);
        var again = second.Grains.GetGrain<INoteGrain>(key);
        Assert.Equal(["inspect", "report"], await again.ReminderNames());

        await again.RemoveReminder("inspect");

        Assert.Equal(["report"], await again.ReminderNames());
        Assert.Equal(
            ["report"],
            await SchemaQueries.ListAsync<string>(db, $"SELECT reminder_name FROM orleans_reminder WHERE grain_id LIKE '%{key}'", Ct));
    }

    [Fact]
    public async Task Membership_cleanup_removes_only_dead_silos()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var clusterId = NewClusterId();
        await using (await TestSilo.StartAsync(db, clusterId, Ct))
        {
        }

        await using var silo = await TestSilo.StartAsync(db, clusterId, Ct);
        var table = silo.Host.Services.GetRequiredService<IMembershipTable>();

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), Ct);

        var statuses = await SchemaQueries.ListAsync<int>(
            db, $"SELECT status FROM orleans_membership WHERE deployment_id = '{clusterId}'", Ct);
        Assert.Equal([3], statuses);
        var all = await table.ReadAllAsync(Ct);
        Assert.Single(all.Members);
    }
}
