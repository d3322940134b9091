using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.Health;

/// <summary>
/// Health and alerts are durable in PostgreSQL mode: a bearing raises an alert from telemetry that came in over MQTT,
/// the silo is killed with kill -9, and a new silo on the same database lists the alert and explains the farm's
/// health before any new telemetry arrives.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthPostgresTests(PostgresFixture postgres)
{
    private const string Faulty = "wt-01-gen-de";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_alert_and_the_rolled_up_health_survive_a_killed_silo()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        var clusterId = "ih" + Guid.NewGuid().ToString("N")[..10];
        var mqtt = new Dictionary<string, string> { ["TwinCluster__Mqtt__Enabled"] = "true" };
        TwinHealth before;
        await using (var first = SiloProcess.Start(db, clusterId, mqtt))
        {
            await first.WaitReadyAsync(1, Ct);
            await using var connection = await ConnectAsync(first.GatewayPort, clusterId);
            await LoadSmallFarmAsync(connection.Client, Ct);
            using var stop = new CancellationTokenSource();
            var simulate = CliProcess.RunUntilAsync(["-g", $"127.0.0.1:{first.GatewayPort}", "--cluster-id", clusterId, "simulate", "--broker", $"127.0.0.1:{first.MqttPort}",
                "--twins", Faulty, "--fs", "12800", "--rate", "12.5", "--fault", $"{Faulty}:outer", "--fault-duration", "40"], stop.Token);
            try
            {
                before = await PollAsync(() => connection.Twins.Twin("farm-1").GetHealth(), h => h.Status >= HealthStatus.Warning && h.SourceId == Faulty, Ct);
                await PollAsync(() => connection.Client.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).List(false), l => l.Any(a => a.TwinId == Faulty), Ct);
            }
            finally
            {
                await stop.CancelAsync();
                await simulate;
            }

            first.Kill();
        }

        await using var second = SiloProcess.Start(db, clusterId, mqtt);
        await second.WaitReadyAsync(1, Ct);
        await using var again = await ConnectAsync(second.GatewayPort, clusterId);
        var alert = Assert.Single(await again.Client.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).List(false));
        Assert.Equal((Faulty, 1L), (alert.TwinId, alert.Number));
        Assert.Equal(alert, Assert.Single(await again.Twins.Twin(Faulty).GetAlerts()));
        var after = await again.Twins.Twin("farm-1").GetHealth();
        Assert.True(after.Status >= HealthStatus.Warning, after.Explain());
        Assert.Equal((Faulty, "OuterRace"), (after.SourceId, after.Fault));
        Assert.Equal(before.Monitored, after.Monitored);
        var acknowledged = await again.Twins.Twin(Faulty).AcknowledgeAlert("operator", null);
        Assert.True(acknowledged.IsAcknowledged);
    }
}
