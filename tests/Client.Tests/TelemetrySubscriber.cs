using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;
using TwinCluster.Wire;

namespace TwinCluster.Client.Tests;

/// <summary>A plain MQTT subscriber on <c>twins/+/telemetry</c> that decodes what it receives with the ingress decoder.</summary>
internal sealed class TelemetrySubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly int _expected;
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    private TelemetrySubscriber(IMqttClient client, int expected)
    {
        _client = client;
        _expected = expected;
    }

    public ConcurrentQueue<Received> Messages { get; } = new();

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when <c>expected</c> messages have arrived.</summary>
    public Task All => _all.Task;

    public static async Task<TelemetrySubscriber> ConnectAsync(int port, int expected)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var subscriber = new TelemetrySubscriber(client, expected);
        client.ApplicationMessageReceivedAsync += subscriber.OnMessage;
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-sub-" + Guid.NewGuid().ToString("N")[..8]).Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("twins/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return subscriber;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        Assert.True(TelemetryTopic.TryParse(message.Topic, out var topic), message.Topic);
        var decoded = PayloadDecoder.Decode(topic.TwinId, message.Payload, message.ContentType, IngressLimits.Default, DateTimeOffset.UtcNow);
        Messages.Enqueue(new Received(message.Topic, message.ContentType, decoded));
        if (Interlocked.Increment(ref _count) >= _expected)
        {
            _all.TrySetResult();
        }

        return Task.CompletedTask;
    }

    internal sealed record Received(string Topic, string? ContentType, DecodeResult Decoded);
}
