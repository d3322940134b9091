using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using TwinCluster.Wire;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// Publishes telemetry at QoS 1 on <c>twins/{twinId}/telemetry</c> and completes each publication only when the
/// broker has acknowledged it (PUBACK). Up to <see cref="MqttTelemetryPublisherOptions.MaxInFlight"/> publications
/// are outstanding at once. When the connection drops, a background loop reconnects with exponential backoff and
/// every unacknowledged publication is sent again with the same payload (same seq), until it is acknowledged or its
/// caller cancels: a broker restart can cause duplicates, never gaps. Thread-safe.
/// </summary>
public sealed class MqttTelemetryPublisher : IAsyncDisposable
{
    private readonly MqttTelemetryPublisherOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private SemaphoreSlim _inFlight;
    private int _maxInFlight;
    private readonly SemaphoreSlim _connectionLost = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _connected = NewSignal();
    private Task _supervisor = Task.CompletedTask;
    private long _published;
    private long _acknowledged;
    private long _retried;
    private long _reconnects;
    private int _disposed;

    private MqttTelemetryPublisher(MqttTelemetryPublisherOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _maxInFlight = options.MaxInFlight;
        _inFlight = new SemaphoreSlim(_maxInFlight, _maxInFlight);
        var clientId = string.IsNullOrEmpty(options.ClientId) ? "twin-sim-" + Guid.NewGuid().ToString("N")[..12] : options.ClientId;
        var builder = new MqttClientOptionsBuilder();
        if (options.Username is { Length: > 0 } username)
        {
            builder = builder.WithCredentials(username, options.Password ?? "");
        }

        _clientOptions = builder
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(options.Protocol == MqttProtocol.V311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.Timeout)
            // The publisher re-sends unacknowledged messages itself after a reconnect, so it needs no broker session.
            .WithCleanSession(true)
            .Build();
        _client = new MqttClientFactory().CreateMqttClient();
        // Attached before the first connect, so no disconnect goes unseen.
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>The settings in use.</summary>
    public MqttTelemetryPublisherOptions Options => _options;

    /// <summary>The MQTT client id in use.</summary>
    public string ClientId => _clientOptions.ClientId;

    /// <summary>Messages handed to <see cref="PublishAsync"/> (each counted once, however often it is sent).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages the broker acknowledged.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Sends after the first of the same message, because the connection dropped or a PUBACK timed out.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Successful reconnects after the first connection.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Publications sent and awaiting their PUBACK now.</summary>
    public int InFlight => _maxInFlight - _inFlight.CurrentCount;

    /// <summary>
    /// Publications allowed in flight: <see cref="MqttTelemetryPublisherOptions.MaxInFlight"/>, or less when the broker
    /// announced a smaller Receive Maximum (MQTT 5) at the first connect.
    /// </summary>
    public int MaxInFlight => _maxInFlight;

    /// <summary>True while the connection to the broker is up.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>
    /// Connects to the broker. Throws <see cref="MqttBrokerUnreachableException"/> (naming host:port) when that first
    /// connection fails; later drops are handled by reconnecting.
    /// </summary>
    public static async Task<MqttTelemetryPublisher> ConnectAsync(MqttTelemetryPublisherOptions options, ILogger? logger = null,
        TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var publisher = new MqttTelemetryPublisher(options, logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
        try
        {
            await publisher.FirstConnectAsync(cancellationToken);
        }
        catch
        {
            await publisher.DisposeAsync();
            throw;
        }

        return publisher;
    }

    /// <summary>
    /// Encodes <paramref name="message"/> in <paramref name="format"/>, publishes it at QoS 1 on its twin's telemetry
    /// topic, and completes when the broker acknowledged it. Across connection drops it is re-sent unchanged until
    /// acknowledged. Throws <see cref="MqttPublishRejectedException"/> when the broker answers with an error reason
    /// code, <see cref="OperationCanceledException"/> when cancelled, <see cref="ObjectDisposedException"/> after disposal.
    /// </summary>
    public async Task PublishAsync(TelemetryMessage message, WireFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var application = Build(message, format);
        Interlocked.Increment(ref _published);
        var attempt = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WaitConnectedAsync(cancellationToken);
            await _inFlight.WaitAsync(cancellationToken);
            try
            {
                if (attempt++ > 0)
                {
                    Interlocked.Increment(ref _retried);
                }

                var result = await _client.PublishAsync(application, cancellationToken);
                if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    Interlocked.Increment(ref _acknowledged);
                    return;
                }

                if (result.ReasonCode != MqttClientPublishReasonCode.PacketIdentifierInUse)
                {
                    throw new MqttPublishRejectedException(
                        $"the broker at {_options.Endpoint} refused seq {message.Seq} on '{application.Topic}': {result.ReasonCode}"
                        + (string.IsNullOrEmpty(result.ReasonString) ? "" : $" ({result.ReasonString})"))
                    {
                        ReasonCode = result.ReasonCode.ToString(),
                    };
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Volatile.Read(ref _disposed) == 0 && IsTransient(ex))
            {
                _logger.LogDebug("Publish of seq {Seq} on {Topic} failed, will re-send: {Error}", message.Seq, application.Topic, ex.Message);
                NoteConnectionLost();
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException && IsTransient(ex))
            {
                // MQTTnet reports a cancelled wait for the PUBACK as a timeout.
                throw new OperationCanceledException($"publication of seq {message.Seq} cancelled before the broker acknowledged it", ex, cancellationToken);
            }
            catch (Exception ex) when (Volatile.Read(ref _disposed) != 0 && ex is not OperationCanceledException)
            {
                throw new ObjectDisposedException(nameof(MqttTelemetryPublisher), ex);
            }
            finally
            {
                _inFlight.Release();
            }
        }
    }

    /// <summary>Stops reconnecting, disconnects cleanly when connected, and fails publications still waiting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _supervisor;
        }
        catch (OperationCanceledException)
        {
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build());
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                _logger.LogDebug("Disconnect from {Endpoint} failed: {Error}", _options.Endpoint, ex.Message);
            }
        }

        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.Dispose();
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static bool IsTransient(Exception ex) =>
        ex is MqttCommunicationException or IOException or SocketException or ObjectDisposedException or TimeoutException
            or OperationCanceledException;

    private MqttApplicationMessage Build(TelemetryMessage message, WireFormat format)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(TelemetryTopic.Format(message.TwinId, TopicKind.Telemetry))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        switch (format)
        {
            case WireFormat.Binary:
                builder.WithPayload(BinaryTelemetryCodec.Encode(message));
                break;
            case WireFormat.Json:
                builder.WithPayload(JsonTelemetryCodec.Encode(message));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown wire format");
        }

        // MQTT 3.1.1 has no content type: the ingress sniffs the payload instead.
        if (_options.Protocol == MqttProtocol.V500)
        {
            builder.WithContentType(format == WireFormat.Binary ? ContentTypes.BinaryBlock : ContentTypes.Json);
        }

        return builder.Build();
    }

    private async Task FirstConnectAsync(CancellationToken cancellationToken)
    {
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(_clientOptions, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (MqttConnectingFailedException ex)
        {
            throw new MqttBrokerUnreachableException($"the MQTT broker at {_options.Endpoint} refused the connection: {ex.Message}", ex);
        }
        catch (Exception ex) when (IsTransient(ex) || ex is InvalidOperationException)
        {
            var cause = ex is MqttCommunicationException { InnerException: { } inner } ? inner.Message : ex.Message;
            throw new MqttBrokerUnreachableException($"cannot reach the MQTT broker at {_options.Endpoint}: {cause}", ex);
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MqttBrokerUnreachableException($"the MQTT broker at {_options.Endpoint} refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        // A broker that takes fewer unacknowledged QoS 1 messages than asked for would disconnect us past that number.
        if (result.ReceiveMaximum is { } receiveMaximum && receiveMaximum > 0 && receiveMaximum < _maxInFlight)
        {
            _maxInFlight = receiveMaximum;
            _inFlight.Dispose();
            _inFlight = new SemaphoreSlim(_maxInFlight, _maxInFlight);
        }

        MarkConnected();
        _logger.LogInformation("Connected to MQTT broker {Endpoint} as {ClientId} ({Protocol})", _options.Endpoint, ClientId, _options.Protocol);
        _supervisor = SuperviseAsync(_stopping.Token);
    }

    private async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            signal = _connected.Task;
        }

        if (signal.IsCompleted)
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            await signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(MqttTelemetryPublisher));
        }
    }

    private void MarkConnected()
    {
        lock (_gate)
        {
            _connected.TrySetResult();
        }
    }

    // Publishers then wait for the supervisor, which re-marks the connection up at once if it still is.
    private void NoteConnectionLost()
    {
        lock (_gate)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = NewSignal();
            }
        }

        _connectionLost.Release();
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected)
        {
            _logger.LogWarning("Lost the connection to MQTT broker {Endpoint}: {Reason}", _options.Endpoint, args.Reason);
        }

        lock (_gate)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = NewSignal();
            }
        }

        _connectionLost.Release();
        return Task.CompletedTask;
    }

    // One loop owns reconnection: publishers only wait for the connected signal.
    private async Task SuperviseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _connectionLost.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var delay = _options.MinReconnectDelay;
            while (!stopping.IsCancellationRequested && !_client.IsConnected)
            {
                try
                {
                    await _client.ConnectAsync(_clientOptions, stopping);
                    Interlocked.Increment(ref _reconnects);
                    _logger.LogInformation("Reconnected to MQTT broker {Endpoint}", _options.Endpoint);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (IsTransient(ex) || ex is MqttConnectingFailedException or InvalidOperationException)
                {
                    _logger.LogDebug("Reconnect to {Endpoint} failed, next try in {Delay}: {Error}", _options.Endpoint, delay, ex.Message);
                    try
                    {
                        await Task.Delay(delay, _time, stopping);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                }
            }

            if (_client.IsConnected)
            {
                MarkConnected();
            }
        }
    }
}
