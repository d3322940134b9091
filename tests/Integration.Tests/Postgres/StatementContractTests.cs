using System.Text.RegularExpressions;
using Npgsql;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;

namespace TwinCluster.Integration.Tests.Postgres;

/// <summary>
/// The stored statements against the contract of the Orleans 10.4.2 ADO.NET providers, statement by statement,
/// including the ones a one-silo test never reaches (conflicts, cleanup, wrapping ring ranges, deleting a cluster).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class StatementContractTests(PostgresFixture postgres)
{
    // The parameters each provider binds per key (read from RelationalOrleansQueries / AdoNetGrainStorage in 10.4.2).
    private static readonly Dictionary<string, string[]> BoundParameters = new(StringComparer.Ordinal)
    {
        ["GatewaysQueryKey"] = ["DeploymentId", "Status"],
        ["MembershipReadRowKey"] = ["DeploymentId", "Address", "Port", "Generation"],
        ["MembershipReadAllKey"] = ["DeploymentId"],
        ["InsertMembershipVersionKey"] = ["DeploymentId"],
        ["UpdateIAmAlivetimeKey"] = ["DeploymentId", "Address", "Port", "Generation", "IAmAliveTime"],
        ["InsertMembershipKey"] =
            ["DeploymentId", "IAmAliveTime", "SiloName", "HostName", "Address", "Port", "Generation", "StartTime", "Status", "ProxyPort", "Version"],
        ["UpdateMembershipKey"] = ["DeploymentId", "Address", "Port", "Generation", "IAmAliveTime", "Status", "SuspectTimes", "Version"],
        ["DeleteMembershipTableEntriesKey"] = ["DeploymentId"],
        ["CleanupDefunctSiloEntriesKey"] = ["DeploymentId", "IAmAliveTime"],
        ["ReadReminderRowsKey"] = ["ServiceId", "GrainId"],
        ["ReadReminderRowKey"] = ["ServiceId", "GrainId", "ReminderName"],
        ["ReadRangeRows1Key"] = ["ServiceId", "BeginHash", "EndHash"],
        ["ReadRangeRows2Key"] = ["ServiceId", "BeginHash", "EndHash"],
        ["UpsertReminderRowKey"] = ["ServiceId", "GrainHash", "GrainId", "ReminderName", "StartTime", "Period"],
        ["DeleteReminderRowKey"] = ["ServiceId", "GrainId", "ReminderName", "Version"],
        ["DeleteReminderRowsKey"] = ["ServiceId"],
        ["ReadFromStorageKey"] =
            ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId"],
        ["WriteToStorageKey"] =
            ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId", "GrainStateVersion", "PayloadBinary"],
        ["ClearStorageKey"] =
            ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId", "GrainStateVersion"],
        ["DeleteStorageKey"] =
            ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId", "GrainStateVersion"],
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_statement_uses_only_parameters_its_provider_binds()
    {
        var statements = await StoredStatements.LoadAsync(await postgres.CreateMigratedDatabaseAsync(Ct), Ct);

        Assert.Equal(BoundParameters.Keys.Order(StringComparer.Ordinal), statements.Texts.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in statements.Texts)
        {
            var used = Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            Assert.True(used.IsSubsetOf(BoundParameters[key]), $"{key} uses unbound parameters: {string.Join(", ", used.Except(BoundParameters[key]))}");
        }
    }

    [Fact]
    public async Task Membership_writes_need_the_current_table_version_and_change_nothing_otherwise()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        // A session time zone far from UTC: the provider's UTC times must come back unchanged.
        var sql = await StoredStatements.LoadAsync(new NpgsqlConnectionStringBuilder(db) { Timezone = "Pacific/Auckland" }.ConnectionString, Ct);
        const string Cluster = "c1";
        var start = new DateTime(2026, 11, 25, 10, 0, 0, 123, DateTimeKind.Utc);
        var silo = new { DeploymentId = Cluster, Address = "127.0.0.1", Port = 11111, Generation = 7 };

        Assert.Equal(1, await sql.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = Cluster }, Ct));
        Assert.Equal(0, await sql.ScalarAsync("InsertMembershipVersionKey", new { DeploymentId = Cluster }, Ct));
        var insert = new
        {
            silo.DeploymentId, IAmAliveTime = start, SiloName = "silo-a", HostName = "host-a", silo.Address, silo.Port,
            silo.Generation, StartTime = start, Status = 2, ProxyPort = 30000, Version = 0,
        };
        Assert.Equal(1, await sql.ScalarAsync("InsertMembershipKey", insert, Ct));
        Assert.Equal(0, await sql.ScalarAsync("InsertMembershipKey", insert with { Version = 1 }, Ct)); // row exists
        Assert.Equal(0, await sql.ScalarAsync("InsertMembershipKey", insert with { Generation = 8 }, Ct)); // stale version 0

        var update = new
        {
            silo.DeploymentId, silo.Address, silo.Port, silo.Generation, IAmAliveTime = start.AddSeconds(5), Status = 3,
            SuspectTimes = (string?)null, Version = 1,
        };
        Assert.Equal(1, await sql.ScalarAsync("UpdateMembershipKey", update, Ct));
        Assert.Equal(0, await sql.ScalarAsync("UpdateMembershipKey", update with { Status = 6 }, Ct)); // stale version 1
        Assert.Equal(0, await sql.ScalarAsync("UpdateMembershipKey", update with { Generation = 99, Version = 2 }, Ct)); // no such silo
        await sql.RunAsync("UpdateIAmAlivetimeKey", new { silo.DeploymentId, silo.Address, silo.Port, silo.Generation, IAmAliveTime = start.AddSeconds(9) }, Ct);

        var row = Assert.Single(await sql.RunAsync("MembershipReadRowKey", silo, Ct));
        Assert.Equal(2, row["Version"]); // two successful writes; failed ones and the heartbeat changed nothing
        Assert.Equal(3, row["Status"]);
        Assert.Equal(7, row["Generation"]);
        Assert.Equal(start, row["StartTime"]);
        Assert.Equal(start.AddSeconds(9), row["IAmAliveTime"]);
        Assert.Equal(30000, row["ProxyPort"]);
        Assert.Equal("silo-a", row["SiloName"]);
        Assert.Null(row["SuspectTimes"]);

        // Reads answer the version row even when no silo matches.
        var none = Assert.Single(await sql.RunAsync("MembershipReadRowKey", silo with { Generation = 99 }, Ct));
        Assert.Equal(2, none["Version"]);
        Assert.Null(none["StartTime"]);
        Assert.Single(await sql.RunAsync("MembershipReadAllKey", new { DeploymentId = Cluster }, Ct));

        var gateway = Assert.Single(await sql.RunAsync("GatewaysQueryKey", new { DeploymentId = Cluster, Status = 3 }, Ct));
        Assert.Equal(30000, gateway["ProxyPort"]);
        Assert.Empty(await sql.RunAsync("GatewaysQueryKey", new { DeploymentId = Cluster, Status = 6 }, Ct));
    }

    [Fact]
    public async Task Cleanup_removes_only_silos_dead_before_the_cutoff_and_deleting_a_cluster_removes_everything()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var sql = await StoredStatements.LoadAsync(db, Ct);
        const string Cluster = "c2";
        var old = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await sql.RunAsync("InsertMembershipVersionKey", new { DeploymentId = Cluster }, Ct);
        var version = 0;
        foreach (var (generation, status, alive) in new[] { (1, 6, old), (2, 6, old.AddDays(300)), (3, 3, old), (4, 2, old) })
        {
            Assert.Equal(1, await sql.ScalarAsync("InsertMembershipKey", new
            {
                DeploymentId = Cluster, IAmAliveTime = alive, SiloName = $"s{generation}", HostName = "h", Address = "10.0.0.1",
                Port = 11111, Generation = generation, StartTime = old, Status = status, ProxyPort = 0, Version = version++,
            }, Ct));
        }

        await sql.RunAsync("CleanupDefunctSiloEntriesKey", new { DeploymentId = Cluster, IAmAliveTime = old.AddDays(30) }, Ct);

        var left = (await sql.RunAsync("MembershipReadAllKey", new { DeploymentId = Cluster }, Ct)).Select(r => (int)r["Generation"]!).Order();
        Assert.Equal([2, 3, 4], left);

        await sql.RunAsync("DeleteMembershipTableEntriesKey", new { DeploymentId = Cluster }, Ct);

        Assert.Empty(await sql.RunAsync("MembershipReadAllKey", new { DeploymentId = Cluster }, Ct));
    }

    [Fact]
    public async Task Reminder_statements_version_rows_and_read_plain_and_wrapping_ring_ranges()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var sql = await StoredStatements.LoadAsync(db, Ct);
        const string Service = "svc";
        var start = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
        foreach (var (grain, hash) in new[] { ("g/low", int.MinValue + 10), ("g/mid", 0), ("g/high", int.MaxValue - 10) })
        {
            Assert.Equal(0, await sql.ScalarAsync("UpsertReminderRowKey",
                new { ServiceId = Service, GrainHash = hash, GrainId = grain, ReminderName = "r", StartTime = start, Period = 60_000 }, Ct));
        }

        // Updating a reminder advances its version; periods beyond int range arrive as long.
        Assert.Equal(1, await sql.ScalarAsync("UpsertReminderRowKey",
            new { ServiceId = Service, GrainHash = 0, GrainId = "g/mid", ReminderName = "r", StartTime = start, Period = 5_000_000_000L }, Ct));
        var mid = Assert.Single(await sql.RunAsync("ReadReminderRowKey", new { ServiceId = Service, GrainId = "g/mid", ReminderName = "r" }, Ct));
        Assert.Equal(5_000_000_000L, mid["Period"]);
        Assert.Equal(start, mid["StartTime"]);
        Assert.Single(await sql.RunAsync("ReadReminderRowsKey", new { ServiceId = Service, GrainId = "g/mid" }, Ct));

        async Task<string[]> Range(string key, int begin, int end) =>
            [.. (await sql.RunAsync(key, new { ServiceId = Service, BeginHash = begin, EndHash = end }, Ct)).Select(r => (string)r["GrainId"]!).Order()];
        Assert.Equal(["g/mid"], await Range("ReadRangeRows1Key", -1, 1));
        Assert.Equal(["g/high", "g/low"], await Range("ReadRangeRows2Key", 1, -1));

        Assert.Equal(0, await sql.ScalarAsync("DeleteReminderRowKey", new { ServiceId = Service, GrainId = "g/mid", ReminderName = "r", Version = 0 }, Ct));
        Assert.Equal(1, await sql.ScalarAsync("DeleteReminderRowKey", new { ServiceId = Service, GrainId = "g/mid", ReminderName = "r", Version = 1 }, Ct));
        await sql.RunAsync("DeleteReminderRowsKey", new { ServiceId = Service }, Ct);
        Assert.Empty(await Range("ReadRangeRows2Key", 0, 0));
    }

    [Fact]
    public async Task Concurrent_first_writes_of_the_same_grain_let_exactly_one_win()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var sql = await StoredStatements.LoadAsync(db, Ct);
        var write = new
        {
            GrainIdHash = 42, GrainIdN0 = 0L, GrainIdN1 = 0L, GrainTypeHash = 7, GrainTypeString = "tc.twin",
            GrainIdExtensionString = (string?)"turbine-1", ServiceId = "svc", GrainStateVersion = (int?)null, PayloadBinary = new byte[] { 1 },
        };

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => sql.ScalarAsync("WriteToStorageKey", write, Ct)));

        Assert.Single(answers, a => a is 1);
        Assert.All(answers.Where(a => a is not 1), a => Assert.Null(a));
        var read = new { write.GrainIdHash, write.GrainIdN0, write.GrainIdN1, write.GrainTypeHash, write.GrainTypeString, write.GrainIdExtensionString, write.ServiceId };
        var stored = Assert.Single(await sql.RunAsync("ReadFromStorageKey", read, Ct));
        Assert.Equal(1, stored["Version"]);
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Placeholder();
}
