using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// The way down, for one ingress: an MQTT 5 client of the same broker the ingress reads (the built-in one over
/// loopback, or Mosquitto), registered with the cluster as an <see cref="IDeviceGateway"/>. It publishes the twins'
/// command requests (Response Topic, Correlation Data, Message Expiry and its instant, whether it may be queued; the id
/// in the topic for MQTT 3.1.1 devices) and
/// desired documents (retained), and hands each reply on <c>twins/+/replies/#</c> to its twin. The broker's answer to
/// a request tells whether a device session subscribes to it (MQTT 5 reason "no matching subscribers" otherwise),
/// which is how the twin knows a device is offline. A clean session: requests are never re-sent by the relay.
/// </summary>
public sealed class DeviceCommandRelay : IDeviceGateway, IAsyncDisposable
{
    private readonly RelayConnection _connection;
    private readonly IGrainFactory _grains;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _name = "relay-" + Guid.NewGuid().ToString("N")[..12];
    private IDeviceGateway? _reference;
    private Task? _loop;
    private long _replies;

    /// <summary>Creates the relay; <see cref="Start"/> connects and registers it.</summary>
    public DeviceCommandRelay(RelayConnection connection, IGrainFactory grains, ILogger logger, TimeProvider? time = null)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _grains = grains ?? throw new ArgumentNullException(nameof(grains));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnReply;
    }

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Replies handed to twins.</summary>
    public long Replies => Interlocked.Read(ref _replies);

    /// <summary>
    /// Starts connecting and registering in the background (call outside any grain: the cluster gets a reference to
    /// this object).
    /// </summary>
    public void Start()
    {
        _reference = _grains.CreateObjectReference<IDeviceGateway>(this);
        _loop = Task.Run(() => Loop(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Unregisters and disconnects.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _grains.GetGrain<IDeviceGatewayRegistryGrain>(0).Unregister(_name).WaitAsync(quick.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogDebug(ex, "Relay: could not unregister {Name}", _name);
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                _logger.LogDebug(ex, "Relay: disconnect failed");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync();
        }

        if (_reference is not null)
        {
            _grains.DeleteObjectReference<IDeviceGateway>(_reference);
            _reference = null;
        }

        _client.Dispose();
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public async Task<DeliveryResult> Send(DeviceCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var twin = new TwinId(command.TwinId);
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(CommandTopics.Request(twin, command.Name, command.CommandId))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType(ContentTypes.Json)
            .WithResponseTopic(CommandTopics.Reply(twin, command.CommandId))
            .WithCorrelationData(Encoding.UTF8.GetBytes(command.CommandId))
            .WithMessageExpiryInterval((uint)Math.Max(1, Math.Ceiling(command.Expiry.TotalSeconds)))
            .WithUserProperty(CommandTopics.NameProperty, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(command.Name)))
            .WithUserProperty(CommandTopics.ExpiresAtProperty, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(
                (_time.GetUtcNow() + command.Expiry).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture))));
        if (command.Queue)
        {
            builder = builder.WithUserProperty(CommandTopics.QueueForProperty, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(
                Math.Ceiling(command.Expiry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        if (command.PayloadJson is not null)
        {
            builder = builder.WithPayload(Encoding.UTF8.GetBytes(command.PayloadJson));
        }

        return await PublishAsync(builder.Build(), command.TwinId);
    }

    /// <inheritdoc />
    public Task<DeliveryResult> PushDesired(string twinId, string documentJson) =>
        PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(CommandTopics.DesiredTopic(new TwinId(twinId)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .WithContentType(ContentTypes.Json)
            .WithPayload(Encoding.UTF8.GetBytes(documentJson))
            .Build(), twinId);

    private async Task<DeliveryResult> PublishAsync(MqttApplicationMessage message, string twinId)
    {
        if (!_client.IsConnected)
        {
            return DeliveryResult.Failed;
        }

        try
        {
            var result = await _client.PublishAsync(message, _stopping.Token);
            return result.ReasonCode switch
            {
                MqttClientPublishReasonCode.Success => DeliveryResult.Delivered,
                MqttClientPublishReasonCode.NoMatchingSubscribers => DeliveryResult.NoSubscribers,
                _ => Refused(result),
            };
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            _logger.LogWarning("Relay: publish for twin {TwinId} failed: {Error}", twinId, ex.Message);
            return DeliveryResult.Failed;
        }

        DeliveryResult Refused(MqttClientPublishResult result)
        {
            _logger.LogWarning("Relay: the broker refused the publish on {Topic}: {Reason} {Text}", message.Topic, result.ReasonCode, result.ReasonString);
            return DeliveryResult.Failed;
        }
    }

    private Task OnReply(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (!CommandTopics.TryParseReply(message.Topic, out var twin, out var commandId, out var status))
        {
            _logger.LogWarning("Relay: reply on {Topic} does not follow twins/{{id}}/replies/{{commandId}}[/{{status}}]; dropped", message.Topic);
            return Task.CompletedTask;
        }

        if (status is null && message.UserProperties?.FirstOrDefault(p => p.Name == CommandTopics.StatusProperty) is { } property)
        {
            if (!int.TryParse(property.ReadValueAsString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) || s is < 100 or > 999)
            {
                _logger.LogWarning("Relay: reply on {Topic} has status '{Status}', not a number from 100 to 999; dropped", message.Topic, property.ReadValueAsString());
                return Task.CompletedTask;
            }

            status = s;
        }

        var text = message.Payload.IsEmpty ? null : Encoding.UTF8.GetString(message.Payload);
        var reply = new CommandReply(commandId, status ?? 200, text, _time.GetUtcNow());
        Interlocked.Increment(ref _replies);
        // Not awaited: the client's handler is sequential, and one slow twin must not hold every other reply.
        _ = Forward(twin, reply);
        return Task.CompletedTask;
    }

    private async Task Forward(TwinId twin, CommandReply reply)
    {
        try
        {
            await _grains.GetTwin(twin).CommandReplied(reply);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning("Relay: reply {CommandId} for twin {TwinId} not handed on: {Error}", reply.CommandId, twin.Value, ex.Message);
        }
    }

    private async Task Loop(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_connection.Host, _connection.Port)
            .WithClientId(_connection.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_connection.Username is { } user)
        {
            builder = builder.WithCredentials(user, _connection.Password);
        }

        var options = builder.Build();
        var filter = string.IsNullOrEmpty(_connection.SharedGroup) ? CommandTopics.ReplyFilter : $"$share/{_connection.SharedGroup}/{CommandTopics.ReplyFilter}";
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await _client.ConnectAsync(options, cancellationToken);
                    await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS()).Build(), cancellationToken);
                    _logger.LogInformation("Relay: connected to MQTT broker {Host}:{Port} as {ClientId}; replies on {Filter}",
                        _connection.Host, _connection.Port, _connection.ClientId, filter);
                    failures = 0;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    if (++failures == 1 || failures % 10 == 0)
                    {
                        _logger.LogWarning("Relay: cannot connect to MQTT broker {Host}:{Port} ({Failures} attempts): {Error}",
                            _connection.Host, _connection.Port, failures, ex.Message);
                    }
                }
            }

            if (_client.IsConnected)
            {
                try
                {
                    await _grains.GetGrain<IDeviceGatewayRegistryGrain>(0).Register(_name, _reference!);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogDebug(ex, "Relay: registering with the cluster failed; trying again");
                }
            }

            try
            {
                await Task.Delay(_client.IsConnected ? _connection.RenewEvery : TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (1 << Math.Min(failures, 5)))), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
