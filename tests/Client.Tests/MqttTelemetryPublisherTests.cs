using TwinCluster.Simulation.Telemetry;
using TwinCluster.Wire;

namespace TwinCluster.Client.Tests;

public sealed class MqttTelemetryPublisherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MqttProtocol.V500, WireFormat.Binary)]
    [InlineData(MqttProtocol.V500, WireFormat.Json)]
    [InlineData(MqttProtocol.V311, WireFormat.Binary)]
    [InlineData(MqttProtocol.V311, WireFormat.Json)]
    public async Task Every_message_arrives_decodes_and_counts_seq_1_to_N_per_twin(MqttProtocol protocol, WireFormat format)
    {
        const int ticks = 40;
        await using var broker = await EmbeddedBroker.StartAsync();
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { BlockSize = 512, TickRateHz = 10, Format = format });
        var expected = ticks * simulation.Twins.Length;
        await using var subscriber = await TelemetrySubscriber.ConnectAsync(broker.Port, expected);
        await using var publisher = await MqttTelemetryPublisher.ConnectAsync(
            new MqttTelemetryPublisherOptions { Port = broker.Port, Protocol = protocol, MaxInFlight = 16 }, cancellationToken: Token);

        var pump = new TelemetryPump(simulation, publisher, format) { Paced = false };
        Assert.True(await pump.RunAsync(ticks, Token, Token));
        await subscriber.All.Within(Deadline, () => $"the subscriber has {subscriber.Count} of {expected} messages");

        Assert.Equal(expected, publisher.Published);
        Assert.Equal(expected, publisher.Acknowledged);
        Assert.Equal(0, publisher.Retried);
        Assert.Empty(broker.Problems);
        var received = subscriber.Messages.ToArray();
        Assert.All(received, r => Assert.True(r.Decoded.IsSuccess, $"{r.Topic}: {r.Decoded}"));
        var expectedType = protocol == MqttProtocol.V311 ? null : format == WireFormat.Binary ? ContentTypes.BinaryBlock : ContentTypes.Json;
        Assert.All(received, r => Assert.Equal(expectedType, r.ContentType));
        Assert.All(received, r => Assert.Equal(format, r.Decoded.Message!.Format));
        foreach (var twin in simulation.Twins)
        {
            var seqs = received.Select(r => r.Decoded.Message!).Where(m => m.TwinId == twin.TwinId).Select(m => m.Seq).Order();
            Assert.Equal(Enumerable.Range(1, ticks).Select(i => (long)i), seqs);
        }

        var bearing = received.Select(r => r.Decoded.Message!).Where(m => m.TwinId.Value == "wt-01-mb").ToArray();
        Assert.All(bearing, m => Assert.Equal(512, m.Find("vibration")!.Values.Length));
        Assert.All(bearing, m => Assert.Equal(20_000, m.SampleRateHz));
    }

    [Fact]
    public async Task An_unreachable_broker_is_named_at_the_first_connect()
    {
        var port = EmbeddedBroker.FreePort();
        var error = await Assert.ThrowsAsync<MqttBrokerUnreachableException>(() =>
            MqttTelemetryPublisher.ConnectAsync(new MqttTelemetryPublisherOptions { Port = port }, cancellationToken: Token));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_are_refused_with_their_name()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            MqttTelemetryPublisher.ConnectAsync(new MqttTelemetryPublisherOptions { MaxInFlight = 0 }, cancellationToken: Token));
        Assert.Contains("MaxInFlight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_restart_mid_run_loses_no_seq()
    {
        const int ticks = 300;
        await using var broker = await EmbeddedBroker.StartAsync();
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { BlockSize = 256, TickRateHz = 100 });
        var twins = simulation.Twins.Length;
        await using var publisher = await MqttTelemetryPublisher.ConnectAsync(new MqttTelemetryPublisherOptions
        {
            Port = broker.Port,
            MaxInFlight = 32,
            MinReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        }, cancellationToken: Token);
        var pump = new TelemetryPump(simulation, publisher, WireFormat.Binary) { Paced = false, MaxPending = 256 };
        // Stop the broker once a third of the run has arrived, while the pump keeps generating behind it. The broker
        // holds what comes after that third, so a fast publisher cannot finish the run before the stop.
        broker.HoldFrom(ticks * twins / 3);
        var run = pump.RunAsync(ticks, Token, Token);

        await broker.WhenReceived(ticks * twins / 3).Within(Deadline, () => $"the broker has {broker.ReceivedCount} messages");
        await broker.StopAsync();
        var atStop = broker.ReceivedCount;
        await broker.RestartAsync();

        await run.Within(Deadline, () => $"the pump generated {pump.Generated}, acknowledged {publisher.Acknowledged}, retried {publisher.Retried}");
        Assert.True(await run, "every message acknowledged");
        Assert.True(atStop < ticks * twins, $"the broker had every message ({atStop}) before it stopped: the restart was not mid-run");
        Assert.Equal(ticks * twins, publisher.Published);
        Assert.Equal(ticks * twins, publisher.Acknowledged);
        Assert.True(publisher.Reconnects >= 1, "the publisher reconnected");
        Assert.Empty(broker.Problems);
        foreach (var twin in simulation.Twins)
        {
            var seqs = broker.SeqsOf(twin.TwinId.Value).Distinct().Order();
            Assert.Equal(Enumerable.Range(1, ticks).Select(i => (long)i), seqs);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"broker had {atStop} of {ticks * twins} at the stop; {broker.ReceivedCount} received in all; retried {publisher.Retried}, reconnects {publisher.Reconnects}");
    }

    [Fact]
    public async Task A_publication_waiting_for_a_stopped_broker_can_be_cancelled()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var publisher = await MqttTelemetryPublisher.ConnectAsync(new MqttTelemetryPublisherOptions { Port = broker.Port }, cancellationToken: Token);
        await broker.StopAsync();
        var message = new FleetSimulation(Fleet.Turbine()).NextTick()[0];
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var publication = publisher.PublishAsync(message, WireFormat.Binary, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publication);
        Assert.Equal(0, publisher.Acknowledged);
    }
}
