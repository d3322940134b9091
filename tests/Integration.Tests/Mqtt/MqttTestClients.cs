using MQTTnet;
using MQTTnet.Protocol;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;

namespace TwinCluster.Integration.Tests.Mqtt;

/// <summary>MQTTnet 5 clients for the broker tests: MQTT 5, handlers attached before connecting.</summary>
internal static class MqttTestClients
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Long enough to outlive any test; the broker keeps the session (and its queue) while offline.</summary>
    public const uint SessionExpirySeconds = 3600;

    public static MqttClientOptions Options(MosquittoBroker broker, string clientId, bool persistentSession, ushort receiveMaximum = 0)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(MosquittoBroker.Host, broker.Port)
            .WithCredentials(broker.Username, broker.Password)
            .WithClientId(clientId)
            .WithTimeout(TimeSpan.FromSeconds(10));
        builder = persistentSession
            ? builder.WithCleanStart(false).WithSessionExpiryInterval(SessionExpirySeconds)
            : builder.WithCleanStart();
        if (receiveMaximum > 0)
        {
            builder = builder.WithReceiveMaximum(receiveMaximum);
        }

        return builder.Build();
    }

    public static async Task<IMqttClient> ConnectPublisherAsync(MosquittoBroker broker, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(broker, $"publisher-{Guid.NewGuid():N}", persistentSession: false), cancellationToken);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    /// <summary>QoS 1 publishes, one at a time (each waits for its PUBACK).</summary>
    public static async Task PublishAsync(IMqttClient publisher, string topic, IEnumerable<string> payloads, CancellationToken cancellationToken)
    {
        foreach (var payload in payloads)
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var result = await publisher.PublishAsync(message, cancellationToken);
            Assert.True(result.IsSuccess, $"PUBACK {result.ReasonCode} for {payload}");
        }
    }

    public static Task SubscribeAsync(IMqttClient client, string topicFilter, CancellationToken cancellationToken) =>
        client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);

    public static IEnumerable<string> Payloads(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"{prefix}-{i}");
}

/// <summary>
/// A subscriber's received messages in arrival order; waits end on a count or a timeout, never on a fixed sleep.
/// </summary>
internal sealed class ReceivedMessages
{
    private readonly Lock _gate = new();
    private readonly List<MqttApplicationMessageReceivedEventArgs> _items = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

    /// <summary>Records every message of <paramref name="client"/>; <paramref name="autoAcknowledge"/> false leaves the PUBACK to the test.</summary>
    public static ReceivedMessages AttachTo(IMqttClient client, bool autoAcknowledge)
    {
        var received = new ReceivedMessages();
        client.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = autoAcknowledge;
            received.Add(e);
            return Task.CompletedTask;
        };
        return received;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public IReadOnlyList<MqttApplicationMessageReceivedEventArgs> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    public IReadOnlyList<string> Payloads() => [.. Snapshot().Select(e => e.ApplicationMessage.ConvertPayloadToString())];

    public void Add(MqttApplicationMessageReceivedEventArgs e)
    {
        lock (_gate)
        {
            _items.Add(e);
            foreach (var waiter in _waiters.Where(w => w.Count <= _items.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
    }

    /// <summary>True once at least <paramref name="count"/> messages arrived, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForCountAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource reached;
        lock (_gate)
        {
            if (_items.Count >= count)
            {
                return true;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Waits until <paramref name="count"/> messages arrived; fails with what did arrive otherwise.</summary>
    public async Task ExpectCountAsync(int count, CancellationToken cancellationToken, Func<string>? diagnostics = null)
    {
        if (!await WaitForCountAsync(count, MqttTestClients.WaitTimeout, cancellationToken))
        {
            Assert.Fail($"Expected {count} messages within {MqttTestClients.WaitTimeout.TotalSeconds:0} s, got {Count}." +
                        (diagnostics is null ? "" : "\n" + diagnostics()));
        }
    }

    /// <summary>
    /// The count once no further message arrived for <paramref name="quiet"/>: how to observe that a broker stopped
    /// sending (an absence can only be seen as a timeout).
    /// </summary>
    public async Task<int> CountWhenQuietAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        while (true)
        {
            var count = Count;
            if (!await WaitForCountAsync(count + 1, quiet, cancellationToken))
            {
                return count;
            }
        }
    }
}
