using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using TwinCluster.Wire;

namespace TwinCluster.Integration.Tests.Commands;

/// <summary>A request as a plain device received it: the command id from the topic and from Correlation Data (MQTT 5).</summary>
internal sealed record ReceivedRequest(string Topic, string Name, string CommandId, string? CorrelationId, string? ResponseTopic, string Payload, uint ExpirySeconds);

/// <summary>
/// A plain MQTT device written with MQTTnet's client, as a device maker would: subscribes to its twin's commands and
/// desired properties, and answers with whatever <see cref="Answer"/> returns (MQTT 5: to the Response Topic with the
/// Correlation Data and a status user property; MQTT 3.1.1: to twins/{id}/replies/{commandId}/{status}).
/// </summary>
internal sealed class MqttDevice : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly TwinId _twin;
    private readonly MqttProtocolVersion _version;
    private MqttClientOptions? _options;

    private MqttDevice(TwinId twin, MqttProtocolVersion version)
    {
        _twin = twin;
        _version = version;
        _client.ApplicationMessageReceivedAsync += OnMessage;
    }

    /// <summary>Every request received, in order (redeliveries included).</summary>
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Every desired document received.</summary>
    public ConcurrentQueue<string> DesiredDocuments { get; } = new();

    /// <summary>Status and payload to answer a request with; null: do not answer.</summary>
    public Func<ReceivedRequest, (int Status, string? Payload)?> Answer { get; set; } = _ => (200, null);

    /// <summary>How many times to answer each request (2 to test a device that answers a redelivery too).</summary>
    public int AnswersPerRequest { get; set; } = 1;

    /// <summary>
    /// Connects and subscribes. <paramref name="keepSessionSeconds"/> above 0 asks for a persistent session (MQTT 5 session
    /// expiry, clean start off) that the broker keeps while the device is away (<see cref="DisconnectAsync"/>,
    /// <see cref="ReconnectAsync"/>).
    /// </summary>
    public static async Task<MqttDevice> ConnectAsync(int port, string twin, MqttProtocolVersion version = MqttProtocolVersion.V500,
        string? username = null, string? password = null, bool subscribe = true, uint keepSessionSeconds = 0)
    {
        var device = new MqttDevice(new TwinId(twin), version);
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port)
            .WithClientId($"{twin}-{Guid.NewGuid():N}"[..Math.Min(40, twin.Length + 33)])
            .WithProtocolVersion(version).WithTimeout(TimeSpan.FromSeconds(20));
        if (username is not null)
        {
            options = options.WithCredentials(username, password);
        }

        if (keepSessionSeconds > 0)
        {
            options = options.WithCleanStart(false).WithSessionExpiryInterval(keepSessionSeconds);
        }

        device._options = options.Build();
        await device._client.ConnectAsync(device._options);
        if (subscribe)
        {
            await device._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(CommandTopics.CommandFilter(device._twin)).WithAtLeastOnceQoS())
                .WithTopicFilter(f => f.WithTopic(CommandTopics.DesiredFilter(device._twin)).WithAtLeastOnceQoS())
                .Build());
        }

        return device;
    }

    /// <summary>Reports properties (acknowledgements of desired ones among them) on twins/{id}/properties.</summary>
    public Task ReportAsync(string json) => _client.PublishAsync(new MqttApplicationMessageBuilder()
        .WithTopic(TelemetryTopic.Format(_twin, TopicKind.Properties)).WithPayload(json)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>Disconnects cleanly (a persistent session stays at the broker).</summary>
    public Task DisconnectAsync() => _client.DisconnectAsync();

    /// <summary>Connects again with the same client id and options; true when the broker still had the session.</summary>
    public async Task<bool> ReconnectAsync() => (await _client.ConnectAsync(_options!)).IsSessionPresent;

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private async Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var payload = message.Payload.IsEmpty ? "" : Encoding.UTF8.GetString(message.Payload);
        if (message.Topic.StartsWith($"twins/{_twin.Value}/{CommandTopics.Desired}/", StringComparison.Ordinal))
        {
            DesiredDocuments.Enqueue(payload);
            return;
        }

        if (!CommandTopics.TryParseRequest(message.Topic, out _, out var name, out var id))
        {
            return;
        }

        var request = new ReceivedRequest(message.Topic, name, id,
            message.CorrelationData is { Length: > 0 } c ? Encoding.UTF8.GetString(c) : null, message.ResponseTopic, payload, message.MessageExpiryInterval);
        Requests.Enqueue(request);
        if (Answer(request) is not { } answer)
        {
            return;
        }

        for (var i = 0; i < AnswersPerRequest; i++)
        {
            await AnswerAsync(request, answer.Status, answer.Payload);
        }
    }

    /// <summary>Answers a request (as <see cref="Answer"/> would), e.g. late.</summary>
    public async Task AnswerAsync(ReceivedRequest request, int status, string? payload)
    {
        var reply = new MqttApplicationMessageBuilder().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (payload is not null)
        {
            reply = reply.WithPayload(payload);
        }

        if (_version == MqttProtocolVersion.V500 && request.ResponseTopic is not null)
        {
            reply = reply.WithTopic(request.ResponseTopic).WithCorrelationData(Encoding.UTF8.GetBytes(request.CorrelationId ?? request.CommandId))
                .WithUserProperty(CommandTopics.StatusProperty, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(status.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        else
        {
            reply = reply.WithTopic(CommandTopics.Reply(_twin, request.CommandId, status));
        }

        await _client.PublishAsync(reply.Build());
    }
}
