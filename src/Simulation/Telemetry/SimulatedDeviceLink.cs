using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using TwinCluster.Wire;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// The simulated devices' way down: an MQTT client (the publisher's broker and credentials, its own client id) that
/// subscribes to the given twins' commands and desired properties, answers through <see cref="SimulatedDeviceBehaviour"/>
/// (MQTT 5: the Response Topic with Correlation Data and a status; MQTT 3.1.1: the status in the topic) and reports
/// the desired properties' acknowledgements. Reconnects and subscribes again while it runs.
/// </summary>
public sealed class SimulatedDeviceLink : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttTelemetryPublisherOptions _options;
    private readonly IReadOnlyList<TwinId> _twins;
    private readonly SimulatedDeviceBehaviour _behaviour;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _v5;
    private Task _loop = Task.CompletedTask;
    private long _answered;

    private SimulatedDeviceLink(MqttTelemetryPublisherOptions options, IReadOnlyList<TwinId> twins, SimulatedDeviceBehaviour behaviour, ILogger logger)
    {
        _options = options;
        _twins = twins;
        _behaviour = behaviour;
        _logger = logger;
        _v5 = options.Protocol != MqttProtocol.V311;
        _client.ApplicationMessageReceivedAsync += OnMessage;
    }

    /// <summary>Commands answered (repeated ids included).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Connects, subscribes and keeps doing so until disposed.</summary>
    public static async Task<SimulatedDeviceLink> StartAsync(MqttTelemetryPublisherOptions options, IEnumerable<TwinId> twins, SimulatedDeviceBehaviour behaviour,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var link = new SimulatedDeviceLink(options, [.. twins], behaviour, logger ?? NullLogger.Instance);
        await link.ConnectAsync(cancellationToken);
        link._loop = link.KeepConnectedAsync(link._stopping.Token);
        return link;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync();
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                _logger.LogDebug(ex, "Simulated devices: disconnect failed");
            }
        }

        _client.Dispose();
        _stopping.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder().WithTcpServer(_options.Host, _options.Port)
            // A signed-in device may use its user name, or that name and a slash: the way down is the same device.
            .WithClientId((_options.Username ?? (string.IsNullOrEmpty(_options.ClientId) ? "twin-sim" : _options.ClientId)) + "/down-" + Guid.NewGuid().ToString("N")[..6])
            .WithProtocolVersion(_v5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithTimeout(_options.Timeout);
        if (_options.Username is { Length: > 0 } user)
        {
            builder = builder.WithCredentials(user, _options.Password ?? "");
        }

        await _client.ConnectAsync(builder.Build(), cancellationToken);
        if (_twins.Count == 0)
        {
            // No twin of this simulation takes commands or desired properties: nothing to subscribe to (MQTT forbids
            // a SUBSCRIBE without topic filters).
            return;
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var twin in _twins)
        {
            subscribe = subscribe.WithTopicFilter(f => f.WithTopic(CommandTopics.CommandFilter(twin)).WithAtLeastOnceQoS())
                .WithTopicFilter(f => f.WithTopic(CommandTopics.DesiredFilter(twin)).WithAtLeastOnceQoS());
        }

        await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
    }

    private async Task KeepConnectedAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stopping);
                if (!_client.IsConnected)
                {
                    await ConnectAsync(stopping);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogDebug("Simulated devices: reconnect failed: {Error}", ex.Message);
            }
        }
    }

    private async Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var payload = message.Payload.IsEmpty ? null : Encoding.UTF8.GetString(message.Payload);
        try
        {
            if (CommandTopics.TryParseRequest(message.Topic, out var twin, out var name, out var commandId))
            {
                var (status, answer) = _behaviour.Command(twin.Value, name, commandId, payload);
                var reply = new MqttApplicationMessageBuilder().WithPayload(answer).WithContentType(ContentTypes.Json)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
                reply = _v5 && message.ResponseTopic is { Length: > 0 } responseTopic
                    ? reply.WithTopic(responseTopic).WithCorrelationData(message.CorrelationData)
                        .WithUserProperty(CommandTopics.StatusProperty, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(status.ToString(System.Globalization.CultureInfo.InvariantCulture))))
                    : reply.WithTopic(CommandTopics.Reply(twin, commandId, status));
                await _client.PublishAsync(reply.Build());
                Interlocked.Increment(ref _answered);
            }
            else if (payload is not null && message.Topic.EndsWith("/" + CommandTopics.Desired + "/" + CommandTopics.DesiredDocument, StringComparison.Ordinal)
                && DeviceTwin(message.Topic) is { } owner && _behaviour.Desired(owner.Value, payload) is { } acks)
            {
                await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(TelemetryTopic.Format(owner, TopicKind.Properties))
                    .WithPayload(acks).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning("Simulated devices: message on {Topic} not handled: {Error}", message.Topic, ex.Message);
        }
    }

    private static TwinId? DeviceTwin(string topic)
    {
        var levels = topic.Split('/');
        return levels.Length >= 2 && TwinId.TryParse(levels[1], out var id) ? id : null;
    }
}
