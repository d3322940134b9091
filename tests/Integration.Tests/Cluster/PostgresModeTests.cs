using TwinCluster.Client;
using Xunit;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Infrastructure;

namespace TwinCluster.Integration.Tests.Cluster;

/// <summary>PostgreSQL mode with real silo processes on loopback and a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresModeTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewClusterId() => "it" + Guid.NewGuid().ToString("N")[..10];

    private static Task<TwinClusterConnection> Connect(string clusterId, string? connectionString = null, params int[] gateways)
    {
        var options = new TwinClientOptions { ClusterId = clusterId, ConnectionString = connectionString, ConnectTimeout = TimeSpan.FromSeconds(60) };
        options.Gateways.Clear();
        foreach (var port in gateways)
        {
            options.Gateways.Add($"127.0.0.1:{port}");
        }

        return TwinClusterConnection.ConnectAsync(options, Ct);
    }

    [Fact]
    public async Task Two_silo_processes_on_one_database_form_one_cluster_and_a_client_reaches_either()
    {
        // An empty database: both silos migrate it at start, at the same time.
        var db = await postgres.CreateDatabaseAsync(Ct);
        var clusterId = NewClusterId();
        await using var a = SiloProcess.Start(db, clusterId);
        await using var b = SiloProcess.Start(db, clusterId);
        await Task.WhenAll(a.WaitReadyAsync(2, Ct), b.WaitReadyAsync(2, Ct));

        await using (var viaA = await Connect(clusterId, null, a.GatewayPort))
        {
            var upload = await viaA.Client.GetModelRepository().Upload(ClusterModels.All);
            Assert.True(upload.Succeeded, string.Join("; ", upload.Errors.Select(e => e.Message)));
            await viaA.Twins.Twin("wt-a").Create(ClusterModels.Turbine, """{"ratedPowerKW":2500}""");
        }

        await using (var viaB = await Connect(clusterId, null, b.GatewayPort))
        {
            Assert.Equal("""{"ratedPowerKW":2500}""", (await viaB.Twins.GetAsync("wt-a")).PropertiesJson);
            var page = await viaB.Client.GetQueries().Query(new TwinQuery(ClusterModels.Turbine, false, [], null, 10, null));
            Assert.Equal(["wt-a"], page.Items.Select(e => e.TwinId));
        }

        await using var viaTable = await Connect(clusterId, db);
        Assert.NotNull(await viaTable.Twins.Twin("wt-a").Get());
    }

    [Fact]
    public async Task Twins_relationships_index_and_models_survive_a_killed_silo()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var clusterId = NewClusterId();
        TwinSnapshot before;
        await using (var first = SiloProcess.Start(db, clusterId))
        {
            await first.WaitReadyAsync(1, Ct);
            await using var client = await Connect(clusterId, db);
            Assert.True((await client.Client.GetModelRepository().Upload(ClusterModels.All)).Succeeded);
            await client.Twins.Twin("farm").Create(ClusterModels.Farm, """{"name":"North"}""");
            await client.Twins.Twin("wt-1").Create(ClusterModels.Turbine, """{"ratedPowerKW":3000}""");
            await client.Twins.Twin("farm").AddRelationship("c1", RelationshipNames.Contains, "wt-1", "{}", null);
            before = await client.Twins.Twin("wt-1").Patch("""[{"op":"replace","path":"/ratedPowerKW","value":3600}]""", null);
            first.Kill();
        }

        await using var second = SiloProcess.Start(db, clusterId);
        await second.WaitReadyAsync(1, Ct);
        await using var after = await Connect(clusterId, db);

        var turbine = await after.Twins.GetAsync("wt-1");
        Assert.Equal(before.ETag, turbine.ETag);
        Assert.Equal("""{"ratedPowerKW":3600}""", turbine.PropertiesJson);
        Assert.Equal("farm", Assert.Single(turbine.Incoming).SourceId);
        Assert.Equal(["farm", "wt-1"], (await after.Twins.SubtreeAsync("farm")).Select(e => e.TwinId));
        var byValue = await after.Client.GetQueries().Query(new TwinQuery(null, false, [new PropertyFilter("ratedPowerKW", FilterOperator.Eq, "3600")], "farm", 10, null));
        Assert.Equal(["wt-1"], byValue.Items.Select(e => e.TwinId));
        Assert.Equal([ClusterModels.Farm, ClusterModels.Turbine], (await after.Client.GetModelRepository().List()).Select(m => m.Id));
        var stale = await Assert.ThrowsAsync<TwinOperationException>(
            () => after.Twins.Twin("wt-1").Patch("""[{"op":"replace","path":"/ratedPowerKW","value":1}]""", "stale-etag"));
        Assert.Equal(TwinErrorCode.PreconditionFailed, stale.Code);
    }

    [Fact]
    public async Task A_bad_connection_string_stops_start_up_with_a_message_naming_the_setting()
    {
        await using var silo = SiloProcess.Start("Host=127.0.0.1;Port=notaport;Database=x", NewClusterId());

        Assert.NotEqual(0, await silo.WaitForExitAsync(Ct));
        Assert.Contains("ConnectionStrings:TwinCluster", silo.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TwinCluster__GatewayPort", "seventy", "error: invalid setting: Failed to convert configuration value 'seventy' at 'TwinCluster:GatewayPort'")]
    [InlineData("TwinCluster__Health__IndexDeadband", "2", "error: invalid setting: TwinCluster:Health:IndexDeadband 2 must be between 0 and 1")]
    [InlineData("TwinCluster__Condition__Models__0__Model", "MainBearing", "error: invalid setting: TwinCluster:Condition:Models:0:Model 'MainBearing' must be a model id")]
    public async Task A_bad_setting_stops_the_embedded_silo_with_a_message_naming_it(string key, string value, string message)
    {
        await using var silo = SiloProcess.Start(null, NewClusterId(), new Dictionary<string, string> { [key] = value });

        Assert.Equal(2, await silo.WaitForExitAsync(Ct));
        Assert.Contains(message, silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_import_writes_through_PostgreSQL_storage_refuses_existing_twins_and_reuses_deleted_ids()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var clusterId = NewClusterId();
        string[] lines =
        [
            $$$"""{"kind":"twin","id":"farm","model":"{{{ClusterModels.Farm}}}","properties":{"name":"North"}}""",
            $$$"""{"kind":"twin","id":"wt-1","model":"{{{ClusterModels.Turbine}}}","properties":{"ratedPowerKW":3000}}""",
            $$$"""{"kind":"twin","id":"wt-2","model":"{{{ClusterModels.Turbine}}}","properties":{"ratedPowerKW":3100}}""",
            """{"kind":"relationship","source":"farm","name":"contains","target":"wt-1"}""",
            """{"kind":"relationship","source":"farm","name":"contains","target":"wt-2"}""",
        ];
        await using (var silo = SiloProcess.Start(db, clusterId))
        {
            await silo.WaitReadyAsync(1, Ct);
            await using var client = await Connect(clusterId, db);
            Assert.True((await client.Client.GetModelRepository().Upload(ClusterModels.All)).Succeeded);

            var first = await new TwinCluster.Simulation.Import.NdjsonImporter(client.Client).ImportAsync(new StringReader(string.Join("\n", lines)), cancellationToken: Ct);
            Assert.True(first.Succeeded, string.Join("; ", first.Errors));
            Assert.Equal(["farm", "wt-1", "wt-2"], (await client.Twins.SubtreeAsync("farm")).Select(e => e.TwinId));

            // Over an existing twin: refused, the stored twin unchanged.
            var again = await new TwinCluster.Simulation.Import.NdjsonImporter(client.Client).ImportAsync(new StringReader(lines[1]), cancellationToken: Ct);
            Assert.Contains("already exists", Assert.Single(again.Errors).Message, StringComparison.Ordinal);

            // A deleted twin's id can be imported again (the storage row a delete leaves is reused).
            await client.Twins.Twin("wt-2").Delete(null, cascade: true);
            var reimport = await new TwinCluster.Simulation.Import.NdjsonImporter(client.Client).ImportAsync(
                new StringReader($$$"""{"kind":"twin","id":"wt-2","model":"{{{ClusterModels.Turbine}}}","properties":{"ratedPowerKW":3200}}"""), cancellationToken: Ct);
            Assert.True(reimport.Succeeded, string.Join("; ", reimport.Errors));
            silo.Kill();
        }

        await using var restarted = SiloProcess.Start(db, clusterId);
        await restarted.WaitReadyAsync(1, Ct);
        await using var after = await Connect(clusterId, db);
        Assert.Equal("""{"ratedPowerKW":3000}""", (await after.Twins.GetAsync("wt-1")).PropertiesJson);
        Assert.Equal("""{"ratedPowerKW":3200}""", (await after.Twins.GetAsync("wt-2")).PropertiesJson);
        Assert.Equal(["farm", "wt-1"], (await after.Twins.SubtreeAsync("farm")).Select(e => e.TwinId));
        var page = await after.Client.GetQueries().Query(new TwinQuery(ClusterModels.Turbine, false, [], null, 10, null));
        Assert.Equal(["wt-1", "wt-2"], page.Items.Select(e => e.TwinId));
    }
}
