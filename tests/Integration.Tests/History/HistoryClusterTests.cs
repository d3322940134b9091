using System.Text.Json;
using Npgsql;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.History;

/// <summary>
/// History end to end in PostgreSQL mode: a bearing twin fed over MQTT by <c>twin simulate</c> stores the features of
/// every window it analyses; twins read back as they were before and after a patch and a relationship change; the
/// CLI answers trends and as-of reads and refuses bad input naming it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HistoryClusterTests(PostgresFixture postgres)
{
    private const string Bearing = "wt-01-gen-de";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Windows_and_changes_are_kept_and_the_cli_answers_from_them()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var clusterId = "hi" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string>
        {
            ["TwinCluster__Mqtt__Enabled"] = "true",
            ["TwinCluster__History__FlushInterval"] = "00:00:00.200",
        };
        await using var silo = SiloProcess.Start(db, clusterId, settings);
        await silo.WaitReadyAsync(1, Ct);
        await using var connection = await ConnectAsync(silo.GatewayPort, clusterId);
        var history = connection.Client.GetGrain<IHistoryGrain>(0);
        string[] cli = CliProcess.Gateway(silo, clusterId);
        // PostgreSQL mode has no token file: the first admin token is made through the gateway, then the CLI uses the HTTP API.
        string[] api = CliProcess.Http(silo, await CliProcess.BootstrapAdminTokenAsync(silo, clusterId));

        // Changes: create, patch, relate.
        Assert.True((await connection.Client.GetModelRepository().Upload(ClusterModels.All)).Succeeded);
        await connection.Twins.Twin("hx-farm").Create(ClusterModels.Farm, """{"name":"North"}""");
        var created = await connection.Twins.Twin("hx-wt").Create(ClusterModels.Turbine, """{"ratedPowerKW":3000}""");
        var patched = await connection.Twins.Twin("hx-wt").Patch("""[{"op":"replace","path":"/ratedPowerKW","value":3600}]""", null);
        await connection.Twins.Twin("hx-farm").AddRelationship("c1", RelationshipNames.Contains, "hx-wt", "{}", null);
        var related = await connection.Twins.GetAsync("hx-farm");

        var latest = await PollAsync(() => history.AsOf("hx-wt", DateTimeOffset.UtcNow.AddMinutes(1)), t => t?.Incoming.Length == 1, Ct);
        Assert.Equal("""{"ratedPowerKW":3600}""", latest!.PropertiesJson);
        Assert.Equal("hx-farm", latest.Incoming[0].SourceId);
        var beforePatch = await history.AsOf("hx-wt", patched.UpdatedAt.AddTicks(-1));
        Assert.Equal("""{"ratedPowerKW":3000}""", beforePatch!.PropertiesJson);
        Assert.Equal(created.ETag, beforePatch.ETag);
        Assert.Null(await history.AsOf("hx-wt", created.UpdatedAt.AddSeconds(-1)));
        Assert.Empty((await history.AsOf("hx-farm", related.UpdatedAt.AddTicks(-1)))!.Relationships);
        var farmNow = await PollAsync(() => history.AsOf("hx-farm", DateTimeOffset.UtcNow.AddMinutes(1)), t => t?.Relationships.Length == 1, Ct);
        Assert.Equal(("c1", "hx-wt"), (farmNow!.Relationships[0].Id, farmNow.Relationships[0].TargetId));
        var changes = await history.Changes("hx-wt", created.CreatedAt.AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(["create", "patch", "incoming"], changes.Select(c => c.Operation));
        // Through the Orleans gateway (and the farm's call for the incoming relationship) there is no API principal.
        Assert.All(changes, c => Assert.Equal("gateway", c.Principal));
        Assert.Null(changes[0].BeforeJson);

        var asOf = await CliProcess.RunAsync([.. api, "--json", "twins", "get", "hx-wt", "--as-of", patched.UpdatedAt.AddTicks(-10).ToString("O")]);
        Assert.True(asOf.Exit == 0, asOf.Err);
        Assert.Equal(3000, JsonDocument.Parse(asOf.Out).RootElement.GetProperty("properties").GetProperty("ratedPowerKW").GetDouble());

        // A change over the HTTP API is kept with the signed-in principal.
        var httpPatch = await CliProcess.RunAsync([.. api, "twins", "patch", "hx-wt", """[{"op":"replace","path":"/ratedPowerKW","value":3700}]"""]);
        Assert.True(httpPatch.Exit == 0, httpPatch.Err);
        var withHttp = await PollAsync(() => history.Changes("hx-wt", created.CreatedAt.AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(1)), c => c.Length == 4, Ct);
        Assert.Equal(("patch", "token:test-bootstrap"), (withHttp[3].Operation, withHttp[3].Principal));
        Assert.Contains("3700", withHttp[3].AfterJson, StringComparison.Ordinal);
        await using (var principals = NpgsqlDataSource.Create(db))
        {
            Assert.Equal(1, await HistoryData.ScalarAsync(principals, "SELECT count(*) FROM history_change WHERE twin_id = 'hx-wt' AND principal = 'token:test-bootstrap'"));
        }

        // Features: a bearing fed over MQTT.
        await LoadSmallFarmAsync(connection.Client, Ct);
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        using (var stop = new CancellationTokenSource())
        {
            var simulate = CliProcess.RunUntilAsync([.. cli, "simulate", "--broker", $"127.0.0.1:{silo.MqttPort}",
                "--twins", Bearing, "--fs", "12800", "--rate", "12.5", "--fault", $"{Bearing}:outer", "--fault-duration", "20"], stop.Token);
            try
            {
                await PollAsync(() => history.Trend(new HistoryTrendQuery(Bearing, null, null, ["velocityRms"], from, DateTimeOffset.UtcNow.AddMinutes(5), null)),
                    t => t.Series.Sum(s => s.Buckets.Sum(b => b.Count)) >= 20, Ct);
            }
            finally
            {
                await stop.CancelAsync();
                await simulate;
            }
        }

        // Every analysed window is one row, once.
        await using var dataSource = NpgsqlDataSource.Create(db);
        // Blocks published before the stop may still be analysed: wait until the counts agree and have not moved for a second.
        var analysed = 0L;
        var stored = 0L;
        var (last, since) = (-1L, DateTime.UtcNow);
        var deadline = DateTime.UtcNow + Patience;
        do
        {
            analysed = (await connection.Twins.Twin(Bearing).GetTelemetry()).WindowsAnalysed;
            stored = await HistoryData.ScalarAsync(dataSource, $"""
                SELECT count(*) FROM history_point p JOIN history_twin t USING (twin_key) JOIN history_layout l USING (layout_id)
                WHERE t.twin_id = '{Bearing}' AND l.source <> ''
                """);
            if (analysed != last)
            {
                (last, since) = (analysed, DateTime.UtcNow);
            }

            if (analysed == stored && analysed > 0 && DateTime.UtcNow - since >= TimeSpan.FromSeconds(1))
            {
                break;
            }

            await Task.Delay(200, Ct);
        }
        while (DateTime.UtcNow < deadline);
        Assert.True(analysed == stored, $"{analysed} windows analysed, {stored} stored");
        var names = await history.Names();
        Assert.Contains("scoreOuterRace", names);
        Assert.Contains("band1", names);

        var trend = await CliProcess.RunAsync([.. api, "--json", "history", Bearing, "--names", "velocityRms,health,kurtosis", "--from", from.ToString("O"), "--to", DateTimeOffset.UtcNow.AddMinutes(5).ToString("O")]);
        Assert.True(trend.Exit == 0, trend.Err);
        var series = JsonDocument.Parse(trend.Out).RootElement.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(["velocityRms", "health", "kurtosis"], series.Select(s => s.GetProperty("name").GetString()));
        Assert.All(series, s => Assert.Equal(stored, s.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64())));

        // Bad input, each named.
        var backwards = await CliProcess.RunAsync([.. api, "history", Bearing, "--names", "health", "--from", "now", "--to", "-1h"]);
        Assert.Equal(1, backwards.Exit);
        Assert.Contains("backwards", backwards.Err, StringComparison.Ordinal);
        var tooFine = await CliProcess.RunAsync([.. api, "history", Bearing, "--names", "health", "--from", "-30d", "--step", "1s"]);
        Assert.Equal(1, tooFine.Exit);
        Assert.Contains("too fine", tooFine.Err, StringComparison.Ordinal);
        Assert.Contains("at least 4m20s", tooFine.Err, StringComparison.Ordinal);
        var unknown = await CliProcess.RunAsync([.. api, "history", Bearing, "--names", "health,velocityRMS"]);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("'velocityRMS'", unknown.Err, StringComparison.Ordinal);
    }
}
