using System.Text.Json;
using MQTTnet.Formatter;
using TwinCluster.Client;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Integration.Tests.Telemetry;
using TwinCluster.Wire;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.Commands;

/// <summary>
/// The external-broker path: a real Mosquitto (allow_anonymous false), a <c>twin-ingress</c> process whose relay
/// publishes the way down, a silo in PostgreSQL mode, plain MQTTnet devices signed in with the broker's user.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MosquittoCommandTests(PostgresFixture postgres)
{
    private static readonly CommandOptions Quick = new(TimeSpan.FromSeconds(8));

    [Fact]
    public async Task Commands_and_desired_properties_go_down_through_Mosquitto_and_twin_ingress()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await postgres.CreateMigratedDatabaseAsync(ct);
        var clusterId = "mc" + Guid.NewGuid().ToString("N")[..10];
        await using var broker = await MosquittoBroker.StartNewAsync(null, ct);
        await using var silo = SiloProcess.Start(db, clusterId);
        await silo.WaitReadyAsync(1, ct);
        await using var ingress = IngressProcess.Start(db, clusterId, broker.Port, "ingress-" + clusterId, null, broker.Username, broker.Password);
        await ingress.WaitConnectedAsync(ct);
        await using var connection = await TwinClusterConnection.ConnectAsync(
            new TwinClientOptions { ClusterId = clusterId, ConnectionString = db, ConnectTimeout = TimeSpan.FromSeconds(60) }, ct);
        var grains = connection.Client;
        Assert.True((await grains.GetModelRepository().Upload([CommandModel.Json])).Succeeded);
        await CommandSiloFixture.WaitForRelayAsync(grains, ct);
        string a = "mq-a-" + clusterId, b = "mq-b-" + clusterId, c = "mq-c-" + clusterId;
        foreach (var id in new[] { a, b, c })
        {
            await grains.GetTwin(new TwinId(id)).Create(CommandModel.Id, "{}");
        }

        // Desired while the device is away: retained at the broker, delivered when it subscribes, acknowledged back
        // through the ingress's reported-properties path.
        await grains.GetTwin(new TwinId(a)).Patch("""[{"op":"add","path":"/maxPowerKW","value":600}]""", null);
        Assert.True((await grains.GetTwin(new TwinId(a)).GetDesired()).Pushed);
        await using var deviceA = await MqttDevice.ConnectAsync(broker.Port, a, MqttProtocolVersion.V500, broker.Username, broker.Password);
        var document = await PollAsync(() => Task.FromResult(deviceA.DesiredDocuments.LastOrDefault()), d => d is not null, ct);
        using (var desired = JsonDocument.Parse(document!))
        {
            Assert.Equal(600, desired.RootElement.GetProperty("maxPowerKW").GetDouble());
            var version = desired.RootElement.GetProperty("$version").GetInt64();
            await deviceA.ReportAsync($$$"""{"maxPowerKW":{"value":600,"ac":200,"av":{{{version}}},"ad":"applied"}}""");
        }

        await PollAsync(() => grains.GetTwin(new TwinId(a)).GetDesired(), v => v.Properties.Single().State == DesiredAckState.Accepted, ct);

        deviceA.Answer = r => (200, r.Payload);
        var answered = await grains.GetTwin(new TwinId(a)).InvokeCommand("curtail", """{"maxPowerKW":550}""", Quick);
        Assert.True(answered.Outcome == CommandOutcome.Answered, answered.Message);
        Assert.Equal(550, JsonDocument.Parse(answered.PayloadJson!).RootElement.GetProperty("maxPowerKW").GetDouble());

        await using var deviceB = await MqttDevice.ConnectAsync(broker.Port, b, MqttProtocolVersion.V311, broker.Username, broker.Password);
        deviceB.Answer = _ => (200, """{"state":"stopped"}""");
        Assert.Equal(CommandOutcome.Answered, (await grains.GetTwin(new TwinId(b)).InvokeCommand("stop", null, Quick)).Outcome);
        deviceB.Answer = _ => (200, """{"state":7}""");
        Assert.Equal(CommandOutcome.InvalidResponse, (await grains.GetTwin(new TwinId(b)).InvokeCommand("stop", null, Quick)).Outcome);

        Assert.Equal(CommandOutcome.Offline, (await grains.GetTwin(new TwinId(c)).InvokeCommand("stop", null, Quick)).Outcome);
        // Replies and the way down never reach the telemetry path: no dead letters for them.
        Assert.Empty(await grains.GetGrain<IDeadLetterGrain>(0).CountByReason());
    }

    [Fact]
    public async Task A_silo_killed_while_a_command_is_in_flight_gives_the_caller_a_clear_error_and_the_device_the_command_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await postgres.CreateMigratedDatabaseAsync(ct);
        var clusterId = "mk" + Guid.NewGuid().ToString("N")[..10];
        await using var broker = await MosquittoBroker.StartNewAsync(null, ct);
        var silo = SiloProcess.Start(db, clusterId);
        await using var ingress = IngressProcess.Start(db, clusterId, broker.Port, "ingress-" + clusterId, null, broker.Username, broker.Password);
        try
        {
            await silo.WaitReadyAsync(1, ct);
            await ingress.WaitConnectedAsync(ct);
            var twin = "mk-" + clusterId;
            await using (var connection = await TwinClusterConnection.ConnectAsync(
                new TwinClientOptions { ClusterId = clusterId, ConnectionString = db, ConnectTimeout = TimeSpan.FromSeconds(60) }, ct))
            {
                Assert.True((await connection.Client.GetModelRepository().Upload([CommandModel.Json])).Succeeded);
                await connection.Client.GetTwin(new TwinId(twin)).Create(CommandModel.Id, "{}");
                await CommandSiloFixture.WaitForRelayAsync(connection.Client, ct);
            }

            await using var device = await MqttDevice.ConnectAsync(broker.Port, twin, MqttProtocolVersion.V500, broker.Username, broker.Password);
            device.Answer = _ => null;   // holds the command: it is in flight when the silo dies
            var commandId = "crash-" + Guid.NewGuid().ToString("N")[..8];
            // The caller goes through the HTTP API like every person or script: the silo that dies holds its request.
            var token = await CliProcess.BootstrapAdminTokenAsync(silo, clusterId);
            var caller = CliProcess.RunAsync([.. CliProcess.Http(silo, token), "command", twin, "stop", "--timeout", "20", "--id", commandId]);
            var request = await PollAsync(() => Task.FromResult(device.Requests.FirstOrDefault()), r => r is not null, ct);
            Assert.Equal(commandId, request!.CommandId);

            silo.Kill();   // SIGKILL
            var result = await caller.WaitAsync(TimeSpan.FromSeconds(90), ct);
            Assert.Equal(1, result.Exit);
            Assert.Contains(commandId, result.Err, StringComparison.Ordinal);

            await silo.DisposeAsync();
            silo = SiloProcess.Start(db, clusterId);
            await silo.WaitReadyAsync(1, ct);
            await using var again = await TwinClusterConnection.ConnectAsync(
                new TwinClientOptions { ClusterId = clusterId, ConnectionString = db, ConnectTimeout = TimeSpan.FromSeconds(60) }, ct);
            await CommandSiloFixture.WaitForRelayAsync(again.Client, ct);

            // The device answers the old command late: the twin's new activation knows no such command and drops it.
            await device.AnswerAsync(request, 200, """{"state":"stopped"}""");
            device.Answer = _ => (200, """{"state":"stopped"}""");
            var next = await again.Client.GetTwin(new TwinId(twin)).InvokeCommand("stop", null, Quick);
            Assert.True(next.Outcome == CommandOutcome.Answered, next.Message);
            Assert.Equal(1, device.Requests.Count(r => r.CommandId == commandId));
            Assert.Equal([next.CommandId], (await again.Client.GetTwin(new TwinId(twin)).GetCommands()).Select(r => r.CommandId));
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }
}
