using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using TwinCluster.Ingress.Pipeline;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// The embedded default's MQTT broker (MQTTnet's server) with the ingress attached in-process: every publish under
/// <c>twins/</c> goes into the <see cref="IngressPipeline"/> before the broker acknowledges it to the publisher. With
/// a durable log the acknowledgement waits for the log write; with the in-memory log it waits only for room in the
/// pipeline (which is the backpressure). Other subscribers still receive every publish, as from any broker.
/// </summary>
public sealed class EmbeddedMqttBroker : IAsyncDisposable
{
    private const string TwinsPrefix = "twins/";

    private readonly EmbeddedBrokerOptions _options;
    private readonly IngressPipeline? _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GuardedTcpServerAdapter _adapter;
    private readonly MqttServer _server;

    /// <summary>Creates the broker; <paramref name="pipeline"/> null runs it without the ingress.</summary>
    public EmbeddedMqttBroker(EmbeddedBrokerOptions options, IngressPipeline? pipeline, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _pipeline = pipeline;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _adapter = new GuardedTcpServerAdapter(new IPEndPoint(IPAddress.Parse(options.Address), options.Port), options.MaxPacketBytes, logger);
        var serverOptions = new MqttServerOptionsBuilder()
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(options.MaxPendingPerClient)
            .WithPendingMessagesOverflowStrategy(MQTTnet.Server.MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [_adapter]);
        _server.ValidatingConnectionAsync += AssignClientId;
        if (pipeline is not null)
        {
            _server.InterceptingPublishAsync += OnPublish;
        }
    }

    /// <summary>The port the broker listens on (known after <see cref="StartAsync"/>).</summary>
    public int Port => _adapter.BoundEndpoint?.Port ?? _options.Port;

    /// <summary>Starts listening.</summary>
    public async Task StartAsync()
    {
        await _server.StartAsync();
        _logger.LogInformation("MQTT broker listening on {Address}:{Port} (max packet {MaxPacket} bytes){Ingress}",
            _options.Address, Port, _options.MaxPacketBytes,
            _pipeline is null ? "" : _pipeline.IsDurable ? "; ingress attached, durable log" : "; ingress attached, in-memory log (not durable)");
    }

    /// <summary>Stops listening and disconnects every client.</summary>
    public Task StopAsync() => _server.StopAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server.IsStarted)
        {
            await _server.StopAsync();
        }

        _server.Dispose();
    }

    // MQTT 5 lets a client leave its id empty and have the server assign one. (MQTTnet refuses an empty id from an
    // MQTT 3.1.1 client with "identifier rejected", which that version allows; such clients must send an id.)
    private static Task AssignClientId(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId))
        {
            e.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N");
        }

        return Task.CompletedTask;
    }

    private async Task OnPublish(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (message.Topic is not { } topic || !topic.StartsWith(TwinsPrefix, StringComparison.Ordinal))
        {
            return;
        }

        // The payload buffer belongs to MQTTnet: the pipeline gets its own copy.
        var inbound = new InboundMessage(topic, message.Payload.ToArray(), message.ContentType, _time.GetUtcNow());
        try
        {
            var verdict = await _pipeline!.SubmitAsync(inbound, e.CancellationToken);
            if (_pipeline.IsDurable)
            {
                await verdict;
            }
        }
        catch (Exception ex)
        {
            // Not taken (shutting down) or not recorded: no acknowledgement, so the publisher sends it again.
            _logger.LogWarning(ex, "MQTT broker: publish on {Topic} from {ClientId} not taken; closing the connection", topic, e.ClientId);
            e.ProcessPublish = false;
            e.CloseConnection = true;
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
        }
    }
}
