using MQTTnet;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;
using static TwinCluster.Integration.Tests.Mqtt.MqttTestClients;

namespace TwinCluster.Integration.Tests.Mqtt;

/// <summary>
/// What the ingress relies on from Mosquitto 2.0 (Debian 12) and the MQTTnet 5 client, each checked against a real
/// broker started by <see cref="MosquittoBroker"/>.
/// </summary>
public sealed class MosquittoBrokerTests
{
    // How long "no further message" is watched for when a test shows the broker has stopped sending.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(750);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Qos1_messages_published_on_the_free_port_reach_a_subscriber_in_order()
    {
        await using var broker = await MosquittoBroker.StartNewAsync(cancellationToken: Ct);
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = ReceivedMessages.AttachTo(subscriber, autoAcknowledge: true);
        await subscriber.ConnectAsync(Options(broker, "sub-a", persistentSession: false), Ct);
        await SubscribeAsync(subscriber, "twins/+/telemetry", Ct);
        using var publisher = await ConnectPublisherAsync(broker, Ct);

        await PublishAsync(publisher, "twins/t1/telemetry", Payloads("m", 100), Ct);

        await received.ExpectCountAsync(100, Ct, broker.ReadLog);
        Assert.Equal(Payloads("m", 100), received.Payloads());
        Assert.All(received.Snapshot(), e => Assert.Equal("twins/t1/telemetry", e.ApplicationMessage.Topic));

        // MQTT 5: a publish nobody subscribed to is acknowledged with "no matching subscribers" (IsSuccess is still true).
        var unmatched = await publisher.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("nobody/listens").WithPayload("x").WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, unmatched.ReasonCode);
    }

    [Fact]
    public async Task Unacknowledged_messages_are_redelivered_when_the_persistent_session_reconnects_and_acknowledged_ones_are_not()
    {
        await using var broker = await MosquittoBroker.StartNewAsync(cancellationToken: Ct);
        using var publisher = await ConnectPublisherAsync(broker, Ct);

        using (var first = new MqttClientFactory().CreateMqttClient())
        {
            var received = ReceivedMessages.AttachTo(first, autoAcknowledge: false);
            var connected = await first.ConnectAsync(Options(broker, "ingress-b", persistentSession: true), Ct);
            Assert.False(connected.IsSessionPresent);
            await SubscribeAsync(first, "twins/+/telemetry", Ct);

            await PublishAsync(publisher, "twins/t1/telemetry", Payloads("m", 10), Ct);
            await received.ExpectCountAsync(10, Ct, broker.ReadLog);

            // The durable write of m-0..m-4 "succeeded": acknowledge those; m-5..m-9 stay unacknowledged.
            foreach (var e in received.Snapshot().Take(5))
            {
                await e.AcknowledgeAsync(Ct);
            }

            await first.DisconnectAsync(cancellationToken: Ct);
        }

        // DisconnectAsync returning does not mean Mosquitto has read the PUBACKs: a reconnect that overtakes them takes
        // the session over and they are never applied (m-3 and m-4 came again in about 1 of 30 runs under load). The
        // broker logs the clean DISCONNECT after the packets before it.
        await broker.WaitForLogLinesAsync("Client ingress-b disconnected.", 1, WaitTimeout, Ct);

        using var second = new MqttClientFactory().CreateMqttClient();
        var again = ReceivedMessages.AttachTo(second, autoAcknowledge: true);
        var reconnected = await second.ConnectAsync(Options(broker, "ingress-b", persistentSession: true), Ct);
        Assert.True(reconnected.IsSessionPresent);

        // The subscription came back with the session; a marker published now is queued behind the redeliveries.
        await PublishAsync(publisher, "twins/t1/telemetry", ["marker"], Ct);
        await again.ExpectCountAsync(6, Ct, broker.ReadLog);

        Assert.Equal([.. Payloads("m", 10).Skip(5), "marker"], again.Payloads());
        Assert.All(again.Snapshot().Take(5), e => Assert.True(e.ApplicationMessage.Dup, "a redelivery carries DUP"));
        Assert.False(again.Snapshot()[5].ApplicationMessage.Dup);
    }

    [Fact]
    public async Task Messages_published_while_a_persistent_subscriber_is_offline_survive_a_graceful_broker_restart()
    {
        // More than Mosquitto's default max_queued_messages (1,000), which would drop the rest silently.
        const int Count = 2500;
        await using var broker = await MosquittoBroker.StartNewAsync(cancellationToken: Ct);

        using (var first = new MqttClientFactory().CreateMqttClient())
        {
            await first.ConnectAsync(Options(broker, "ingress-c", persistentSession: true), Ct);
            await SubscribeAsync(first, "twins/+/telemetry", Ct);
            await first.DisconnectAsync(cancellationToken: Ct);
        }

        using (var publisher = await ConnectPublisherAsync(broker, Ct))
        {
            await PublishAsync(publisher, "twins/t1/telemetry", Payloads("m", Count), Ct);
        }

        var port = broker.Port;
        await broker.RestartAsync(Ct);
        Assert.Equal(port, broker.Port);

        using var second = new MqttClientFactory().CreateMqttClient();
        var received = ReceivedMessages.AttachTo(second, autoAcknowledge: true);
        var reconnected = await second.ConnectAsync(Options(broker, "ingress-c", persistentSession: true), Ct);
        Assert.True(reconnected.IsSessionPresent, "the session was restored from the persistence file");

        await received.ExpectCountAsync(Count, Ct, broker.ReadLog);
        Assert.Equal(Payloads("m", Count), received.Payloads());
        Assert.Equal(Count, await received.CountWhenQuietAsync(Quiet, Ct));
    }

    [Fact]
    public async Task A_SIGKILL_keeps_what_the_last_autosave_wrote()
    {
        const int Count = 300;
        const string Saved = "Saving in-memory database";
        await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { AutosaveIntervalSeconds = 1 }, Ct);
        await SubscribeOfflineAsync(broker, "ingress-kill-saved");
        using (var publisher = await ConnectPublisherAsync(broker, Ct))
        {
            await PublishAsync(publisher, "twins/t1/telemetry", Payloads("m", Count), Ct);
        }

        // Two more saves than now: the first may have started before the last publish.
        await broker.WaitForLogLinesAsync(Saved, broker.CountLogLines(Saved) + 2, WaitTimeout, Ct);
        await broker.KillAsync(Ct);
        await broker.StartAsync(Ct);

        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = ReceivedMessages.AttachTo(subscriber, autoAcknowledge: true);
        var reconnected = await subscriber.ConnectAsync(Options(broker, "ingress-kill-saved", persistentSession: true), Ct);
        Assert.True(reconnected.IsSessionPresent);
        await received.ExpectCountAsync(Count, Ct, broker.ReadLog);
        Assert.Equal(Payloads("m", Count), received.Payloads());
    }

    [Fact]
    public async Task A_SIGKILL_before_any_autosave_loses_the_session_and_its_queued_messages()
    {
        // Mosquitto's default autosave interval (1,800 s) behaves the same within that time.
        await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { AutosaveIntervalSeconds = 3600 }, Ct);
        await SubscribeOfflineAsync(broker, "ingress-kill-lost");
        using (var publisher = await ConnectPublisherAsync(broker, Ct))
        {
            await PublishAsync(publisher, "twins/t1/telemetry", Payloads("m", 10), Ct);
        }

        await broker.KillAsync(Ct);
        await broker.StartAsync(Ct);

        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = ReceivedMessages.AttachTo(subscriber, autoAcknowledge: true);
        var reconnected = await subscriber.ConnectAsync(Options(broker, "ingress-kill-lost", persistentSession: true), Ct);
        Assert.False(reconnected.IsSessionPresent, "nothing was saved before the kill");
        Assert.Equal(0, await received.CountWhenQuietAsync(Quiet, Ct));
    }

    // A persistent session with a subscription, then offline.
    private static async Task SubscribeOfflineAsync(MosquittoBroker broker, string clientId)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(Options(broker, clientId, persistentSession: true), Ct);
        await SubscribeAsync(client, "twins/+/telemetry", Ct);
        await client.DisconnectAsync(cancellationToken: Ct);
    }

    [Fact]
    public async Task A_shared_subscription_splits_the_messages_between_two_subscribers()
    {
        const int Count = 200;
        await using var broker = await MosquittoBroker.StartNewAsync(cancellationToken: Ct);
        using var one = new MqttClientFactory().CreateMqttClient();
        using var two = new MqttClientFactory().CreateMqttClient();
        var receivedByOne = ReceivedMessages.AttachTo(one, autoAcknowledge: true);
        var receivedByTwo = ReceivedMessages.AttachTo(two, autoAcknowledge: true);
        await one.ConnectAsync(Options(broker, "ingress-d-1", persistentSession: true), Ct);
        await two.ConnectAsync(Options(broker, "ingress-d-2", persistentSession: true), Ct);
        await SubscribeAsync(one, "$share/ingress/twins/+/telemetry", Ct);
        await SubscribeAsync(two, "$share/ingress/twins/+/telemetry", Ct);
        using var publisher = await ConnectPublisherAsync(broker, Ct);

        for (var i = 0; i < Count; i++)
        {
            await PublishAsync(publisher, $"twins/t{i % 10}/telemetry", [$"m-{i}"], Ct);
        }

        while (receivedByOne.Count + receivedByTwo.Count < Count)
        {
            // Either one may take the next message: wait for one more on both, bounded.
            var before = receivedByOne.Count + receivedByTwo.Count;
            var more = await Task.WhenAny(
                receivedByOne.WaitForCountAsync(receivedByOne.Count + 1, WaitTimeout, Ct),
                receivedByTwo.WaitForCountAsync(receivedByTwo.Count + 1, WaitTimeout, Ct));
            if (!await more && receivedByOne.Count + receivedByTwo.Count == before)
            {
                Assert.Fail($"Only {before} of {Count} messages arrived.\n{broker.ReadLog()}");
            }
        }

        Assert.Equal(Count, await receivedByOne.CountWhenQuietAsync(Quiet, Ct) + receivedByTwo.Count);
        var union = receivedByOne.Payloads().Concat(receivedByTwo.Payloads()).ToList();
        Assert.Equal(Count, union.Distinct().Count());
        Assert.Equal(Payloads("m", Count).Order(), union.Order());
        Assert.InRange(receivedByOne.Count, 1, Count - 1);
        Assert.InRange(receivedByTwo.Count, 1, Count - 1);
        // Mosquitto hands shared messages out round-robin.
        Assert.Equal(Count / 2, receivedByOne.Count);
    }

    /// <summary>
    /// Flow control as measured. MQTTnet 5 hands messages to the handler one at a time, but a handler that returns
    /// without acknowledging does not hold up the next message: unacknowledged messages pile up to the broker's send
    /// window, which is the client's MQTT 5 receive maximum when the client sends one (larger or smaller than the
    /// broker's setting) and Mosquitto's max_inflight_messages when it does not (MQTTnet sends none unless
    /// MqttClientOptions.ReceiveMaximum is set: MqttV5PropertiesWriter.WriteReceiveMaximum skips 0).
    /// Acknowledging the newest outstanding message lets exactly one more through. Acknowledging the oldest one lets
    /// a whole window more through in Mosquitto 2.0.11 (Debian 12): db__message_delete_outgoing refills up to the
    /// acknowledged message's position in the in-flight list, not up to the count in flight (src/database.c, fixed in
    /// 2.0.13, "various fixes around inflight quota management", #2306). So with in-order acknowledgements and a
    /// backlog, the window does NOT bound how many unacknowledged messages a subscriber holds.
    /// </summary>
    [Theory]
    [InlineData(20, 0, 20)]
    [InlineData(20, 100, 100)]
    [InlineData(1000, 0, 1000)]
    [InlineData(1000, 50, 50)]
    public async Task Unacknowledged_messages_outstanding_at_once_follow_the_broker_send_window(
        int brokerMaxInflight, ushort clientReceiveMaximum, int window)
    {
        var published = (3 * window) + 10;
        await using var broker = await MosquittoBroker.StartNewAsync(
            new MosquittoBrokerOptions { MaxInflightMessages = brokerMaxInflight }, Ct);
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = ReceivedMessages.AttachTo(subscriber, autoAcknowledge: false);
        await subscriber.ConnectAsync(Options(broker, "ingress-e", persistentSession: true, clientReceiveMaximum), Ct);
        await SubscribeAsync(subscriber, "twins/+/telemetry", Ct);
        using var publisher = await ConnectPublisherAsync(broker, Ct);

        await PublishAsync(publisher, "twins/t1/telemetry", Payloads("m", published), Ct);

        // The handler returned at once for each message and acknowledged none: a full window arrives, then nothing.
        await received.ExpectCountAsync(window, Ct, broker.ReadLog);
        Assert.Equal(window, await received.CountWhenQuietAsync(Quiet, Ct));

        // Acknowledging the newest, from another task long after its handler returned: one more.
        var acknowledged = new HashSet<int>();
        await AcknowledgeFromAnotherTaskAsync(received, [window - 1], acknowledged);
        await received.ExpectCountAsync(window + 1, Ct, broker.ReadLog);
        Assert.Equal(window + 1, await received.CountWhenQuietAsync(Quiet, Ct));

        // Acknowledging the oldest.
        await AcknowledgeFromAnotherTaskAsync(received, [0], acknowledged);
        if (broker.Version is { } version && version < new Version(2, 0, 13))
        {
            // 2W + 1 received, 2W - 1 of them unacknowledged.
            await received.ExpectCountAsync((2 * window) + 1, Ct, broker.ReadLog);
            Assert.Equal((2 * window) + 1, await received.CountWhenQuietAsync(Quiet, Ct));
        }
        else
        {
            await received.ExpectCountAsync(window + 2, Ct, broker.ReadLog);
            Assert.InRange(await received.CountWhenQuietAsync(Quiet, Ct), window + 2, (2 * window) + 1);
        }

        // Acknowledging everything, wave after wave, lets the rest through, in order and once each.
        while (acknowledged.Count < published)
        {
            var pending = Enumerable.Range(0, received.Count).Where(i => !acknowledged.Contains(i)).ToList();
            Assert.NotEmpty(pending);
            await AcknowledgeFromAnotherTaskAsync(received, pending, acknowledged);
            if (acknowledged.Count < published)
            {
                await received.ExpectCountAsync(acknowledged.Count + 1, Ct, broker.ReadLog);
            }
        }

        Assert.Equal(Payloads("m", published), received.Payloads());
        Assert.Equal(published, await received.CountWhenQuietAsync(Quiet, Ct));
    }

    private static Task AcknowledgeFromAnotherTaskAsync(ReceivedMessages received, IReadOnlyList<int> indexes, HashSet<int> acknowledged)
    {
        var messages = received.Snapshot();
        foreach (var index in indexes)
        {
            Assert.True(acknowledged.Add(index), $"message {index} was acknowledged already");
        }

        return Task.Run(async () =>
        {
            foreach (var index in indexes)
            {
                await messages[index].AcknowledgeAsync(Ct);
            }
        }, Ct);
    }

    /// <summary>
    /// MQTTnet 5.2 (Source/MQTTnet/MqttClient.cs): the socket loop only puts PUBLISH packets in an unbounded queue, and
    /// one task (ProcessReceivedPublishPackets) takes them out and awaits the handlers for each before the next; with
    /// AutoAcknowledge left true it then sends the PUBACK, so a slow handler slows every message and its acknowledgement.
    /// </summary>
    [Fact]
    public async Task The_MQTTnet_client_invokes_the_message_handler_for_one_message_at_a_time()
    {
        await using var broker = await MosquittoBroker.StartNewAsync(cancellationToken: Ct);
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new ReceivedMessages();
        var running = 0;
        var maxRunning = 0;
        subscriber.ApplicationMessageReceivedAsync += async e =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            started.Add(e);
            await release.Task;
            Interlocked.Decrement(ref running);
        };
        await subscriber.ConnectAsync(Options(broker, "ingress-f", persistentSession: false), Ct);
        await SubscribeAsync(subscriber, "twins/+/telemetry", Ct);
        using var publisher = await ConnectPublisherAsync(broker, Ct);

        await PublishAsync(publisher, "twins/t1/telemetry", Payloads("m", 5), Ct);

        // The first handler call is parked; the other four messages wait in the client's queue, not in handlers.
        await started.ExpectCountAsync(1, Ct);
        Assert.Equal(1, await started.CountWhenQuietAsync(Quiet, Ct));

        release.SetResult();
        await started.ExpectCountAsync(5, Ct);
        Assert.Equal(1, Volatile.Read(ref maxRunning));
        Assert.Equal(Payloads("m", 5), started.Payloads());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
