using System.Buffers;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using TwinCluster.Ingress.Pipeline;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// The ingress on an external broker: an MQTT 5 client with a persistent session on a shared subscription
/// (<c>$share/{group}/twins/+/+</c>), acknowledging each message only once the <see cref="IngressPipeline"/> has
/// made it final (logged, or dead-lettered). A crash before that leaves the message unacknowledged in the broker's
/// session, which delivers it again on reconnect. The broker may have at most
/// <see cref="ExternalBrokerOptions.ReceiveMaximum"/> messages unacknowledged, and a full pipeline stops the reading:
/// both bound memory. Reconnects with backoff for as long as it runs.
/// </summary>
public sealed class MqttIngressClient : IAsyncDisposable
{
    private readonly ExternalBrokerOptions _options;
    private readonly IngressPipeline _pipeline;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _connectLoop;
    private long _acknowledged;
    private volatile bool _taking = true;
    private int _disposed;
    private int _unfinished;          // taken from the broker, not yet acknowledged or given up
    private long _lastMessageTicks;   // Environment.TickCount64 of the last message received

    /// <summary>Creates the client; <see cref="StartAsync"/> connects.</summary>
    public MqttIngressClient(ExternalBrokerOptions options, IngressPipeline pipeline, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _client = new MqttClientFactory().CreateMqttClient();
        // Attached before connecting: a kept session delivers at once.
        _client.ApplicationMessageReceivedAsync += OnMessage;
    }

    /// <summary>Messages acknowledged to the broker.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>True while connected.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>
    /// Starts the connect loop and waits for the first connection (or <paramref name="cancellationToken"/>); it keeps
    /// trying meanwhile, logging each failure with the broker's address.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _connectLoop = Task.Run(ConnectLoop, CancellationToken.None);
        await _firstConnect.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Messages taken and not yet acknowledged (or given up on).</summary>
    public int Unfinished => Volatile.Read(ref _unfinished);

    /// <summary>
    /// Stops taking messages (and reconnecting) but stays connected, so that what the pipeline already took can still
    /// be acknowledged as it becomes final. On a shared subscription it first drains: it unsubscribes, so the broker
    /// sends the group's messages to the other members from then on, and goes on taking what the broker had already
    /// sent or queued for this session until none came for <paramref name="quiet"/> (at most <paramref name="limit"/>).
    /// Nothing is then left behind in a session that a scaled-in ingress would never resume. On a plain
    /// subscription (one ingress) it stays subscribed: the session keeps collecting while the ingress restarts.
    /// </summary>
    public async Task StopTakingAsync(TimeSpan? quiet = null, TimeSpan? limit = null)
    {
        if (!string.IsNullOrEmpty(_options.SharedGroup) && _client.IsConnected && _taking)
        {
            await DrainSharedAsync(quiet ?? TimeSpan.FromMilliseconds(500), limit ?? TimeSpan.FromSeconds(10));
        }

        _taking = false;
        await _stopping.CancelAsync();
        if (_connectLoop is not null)
        {
            await _connectLoop;
        }
    }

    /// <summary>
    /// Waits (up to <paramref name="ackLimit"/>, 5 s by default) for the acknowledgements of what was made final, then
    /// disconnects; messages not yet final stay unacknowledged in the broker's session.
    /// </summary>
    public async Task StopAsync(TimeSpan? ackLimit = null)
    {
        _taking = false;
        await _stopping.CancelAsync();
        if (_connectLoop is not null)
        {
            await _connectLoop;
        }

        var deadline = Environment.TickCount64 + (long)(ackLimit ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
        while (Unfinished > 0 && _client.IsConnected && Environment.TickCount64 < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        if (_client.IsConnected)
        {
            _logger.LogInformation("Ingress: disconnecting from the MQTT broker; {Acknowledged} acknowledged, {Unfinished} left to the session",
                Acknowledged, Unfinished);
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                _logger.LogDebug(ex, "Ingress: disconnect failed");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Once: the host's container disposes IngressService twice (registered as itself and as a hosted service
        // through a factory), and a second StopAsync on the disposed token source aborted every graceful stop.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync();
        _client.Dispose();
        _stopping.Dispose();
    }

    private async Task ConnectLoop()
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum((ushort)_options.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_options.Username is { } user)
        {
            options = options.WithCredentials(user, _options.Password);
        }

        var built = options.Build();
        var failures = 0;
        while (!_stopping.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    var result = await _client.ConnectAsync(built, _stopping.Token);
                    // Subscribed again even when the session was kept: Mosquitto 2.0.11 restores a persistent session
                    // after a restart without its shared subscription (seen in the broker-restart fault test), and
                    // subscribing to the same filter again only replaces it.
                    await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter(f => f.WithTopic(_options.TopicFilter).WithAtLeastOnceQoS())
                        .Build(), _stopping.Token);

                    _logger.LogInformation("Ingress: connected to MQTT broker {Host}:{Port} as {ClientId} ({Session}), subscribed to {Filter}",
                        _options.Host, _options.Port, _options.ClientId, result.IsSessionPresent ? "session resumed" : "new session", _options.TopicFilter);
                    failures = 0;
                    _firstConnect.TrySetResult();
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    failures++;
                    if (failures == 1 || failures % 10 == 0)
                    {
                        _logger.LogWarning("Ingress: cannot connect to MQTT broker {Host}:{Port} ({Failures} attempts): {Error}",
                            _options.Host, _options.Port, failures, ex.Message);
                    }
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (1 << Math.Min(failures, 5)))), _time, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task DrainSharedAsync(TimeSpan quiet, TimeSpan limit)
    {
        try
        {
            await _client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(_options.TopicFilter).Build(), _stopping.Token);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            _logger.LogWarning("Ingress: could not unsubscribe before stopping ({Error}); what the broker queued for {ClientId} waits for its return",
                ex.Message, _options.ClientId);
            return;
        }

        var started = Environment.TickCount64;
        Interlocked.Exchange(ref _lastMessageTicks, started);
        _logger.LogInformation("Ingress: draining: unsubscribed from {Filter}; taking what was already sent to {ClientId}", _options.TopicFilter, _options.ClientId);
        while (_client.IsConnected && Environment.TickCount64 - started < limit.TotalMilliseconds
            && Environment.TickCount64 - Interlocked.Read(ref _lastMessageTicks) < quiet.TotalMilliseconds)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        _logger.LogInformation("Ingress: drained in {Elapsed} ms; {Unfinished} messages still being made final", Environment.TickCount64 - started, Unfinished);
    }

    private async Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        Interlocked.Exchange(ref _lastMessageTicks, Environment.TickCount64);
        if (!_taking)
        {
            return;   // stopping: left unacknowledged, delivered again to the next session
        }

        var message = e.ApplicationMessage;
        if (Wire.CommandTopics.IsCommandTraffic(message.Topic))
        {
            // The way down and its replies (the relay's business) match twins/+/+ only at a topic of three levels.
            await e.AcknowledgeAsync(CancellationToken.None);
            return;
        }

        var inbound = new InboundMessage(message.Topic, message.Payload.ToArray(), message.ContentType, _time.GetUtcNow());
        Task<IngressVerdict> verdict;
        Interlocked.Increment(ref _unfinished);
        try
        {
            // Waits while the pipeline is full: this client reads no further, and the broker holds the rest.
            verdict = await _pipeline.SubmitAsync(inbound, _stopping.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            Interlocked.Decrement(ref _unfinished);
            return;
        }

        _ = AcknowledgeWhenFinal(e, verdict);
    }

    private async Task AcknowledgeWhenFinal(MqttApplicationMessageReceivedEventArgs e, Task<IngressVerdict> verdict)
    {
        try
        {
            await verdict;
            await e.AcknowledgeAsync(CancellationToken.None);
            Interlocked.Increment(ref _acknowledged);
        }
        catch (Exception ex)
        {
            // Not final (stopping), or the connection is gone: the broker delivers it again; the log drops the copy.
            _logger.LogDebug(ex, "Ingress: message on {Topic} not acknowledged", e.ApplicationMessage.Topic);
        }
        finally
        {
            Interlocked.Decrement(ref _unfinished);
        }
    }
}
