using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// The embedded default's MQTT broker (MQTTnet's server) with the ingress attached in-process: every publish under
/// <c>twins/</c> goes into the <see cref="IngressPipeline"/> before the broker acknowledges it to the publisher. With
/// a durable log the acknowledgement waits for the log write; with the in-memory log it waits only for room in the
/// pipeline (which is the backpressure). Other subscribers still receive every publish, as from any broker.
/// Devices sign in with the credentials of <c>twin devices add</c>: checked at CONNECT, then every PUBLISH must be
/// for one of the device's twins, on its telemetry, properties or replies (never its commands or desired document),
/// and every SUBSCRIBE under one of their <c>commands</c> or <c>desired</c> topics.
/// </summary>
public sealed class EmbeddedMqttBroker : IAsyncDisposable
{
    private const string TwinsPrefix = "twins/";

    private readonly EmbeddedBrokerOptions _options;
    private readonly IngressPipeline? _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private const string GrantKey = "tc.device";

    private readonly GuardedTcpServerAdapter? _adapter;
    private readonly GuardedTcpServerAdapter? _tlsAdapter;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;
    private readonly MqttServer _server;
    private readonly IDeviceAuthenticator? _authenticator;
    private readonly IDeadLetterStore? _deadLetters;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CommandRequestGuard _requests;
    private Task? _credentialChecks;

    // The command relay of this process signs in with this credential (made per process, never stored or logged).
    private const string RelayUser = "$twincluster-relay";
    private readonly string _relayPassword = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>
    /// Creates the broker; <paramref name="pipeline"/> null runs it without the ingress. Without
    /// <paramref name="security"/> only anonymous clients can connect, and only when the options accept them.
    /// </summary>
    public EmbeddedMqttBroker(EmbeddedBrokerOptions options, IngressPipeline? pipeline, ILogger logger, TimeProvider? time = null,
        BrokerSecurity? security = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _pipeline = pipeline;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _authenticator = security?.Authenticator;
        _deadLetters = security?.DeadLetters;
        var address = IPAddress.Parse(options.Address);
        if (!options.Tls.Required)
        {
            _adapter = new GuardedTcpServerAdapter(new IPEndPoint(address, options.Port), options.MaxPacketBytes, logger);
        }

        if (options.Tls.IsEnabled)
        {
            _certificate = options.Tls.Load();
            _tlsAdapter = new GuardedTcpServerAdapter(new IPEndPoint(address, options.Tls.Port), options.MaxPacketBytes, logger, _certificate);
        }

        var serverOptions = new MqttServerOptionsBuilder()
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(options.MaxPendingPerClient)
            .WithPendingMessagesOverflowStrategy(MQTTnet.Server.MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, new[] { _adapter, _tlsAdapter }.OfType<IMqttServerAdapter>().ToList());
        _server.ValidatingConnectionAsync += OnConnecting;
        _server.InterceptingPublishAsync += OnPublish;
        _server.InterceptingSubscriptionAsync += OnSubscribing;
        _requests = new CommandRequestGuard(_server, _time, logger);
    }

    /// <summary>The plain MQTT port (known after <see cref="StartAsync"/>); 0 when only TLS is served.</summary>
    public int Port => _adapter is null ? 0 : _adapter.BoundEndpoint?.Port ?? _options.Port;

    /// <summary>The MQTT over TLS port (known after <see cref="StartAsync"/>), or null without a certificate.</summary>
    public int? TlsPort => _tlsAdapter is null ? null : _tlsAdapter.BoundEndpoint?.Port ?? _options.Tls.Port;

    /// <summary>Command requests not kept for a device session that was not connected (the command was not queued).</summary>
    public long RequestsNotKept => _requests.NotKept;

    /// <summary>Queued command requests dropped undelivered because they expired.</summary>
    public long RequestsExpired => _requests.Expired;

    /// <summary>The credential this process's command relay signs in with (any twin's topics, never a device's).</summary>
    public (string Username, string Password) RelayCredential => (RelayUser, _relayPassword);

    /// <summary>Starts listening.</summary>
    public async Task StartAsync()
    {
        await _server.StartAsync();
        _logger.LogInformation("MQTT broker listening on {Address}: {Listeners} (max packet {MaxPacket} bytes){Ingress}",
            _options.Address,
            string.Join(", ", new[] { _adapter is null ? null : $"MQTT {Port}", _tlsAdapter is null ? null : $"MQTT over TLS {TlsPort}" }.OfType<string>()),
            _options.MaxPacketBytes,
            _pipeline is null ? "" : _pipeline.IsDurable ? "; ingress attached, durable log" : "; ingress attached, in-memory log (not durable)");
        if (_options.AcceptsAnonymous)
        {
            _logger.LogWarning(_options.RequireAuthentication is false
                ? "MQTT broker: TwinCluster:Mqtt:RequireAuthentication=false: anonymous clients may publish for any twin"
                : "MQTT broker: the embedded default on loopback accepts anonymous clients (only processes on this machine can reach it); devices that sign in are still checked. Set TwinCluster:Mqtt:RequireAuthentication=true to require credentials (twin devices add)");
        }
        else
        {
            _logger.LogInformation("MQTT broker: devices must sign in (twin devices add)");
        }

        if (_authenticator is not null)
        {
            _credentialChecks = CheckCredentialsAsync(_stopping.Token);
        }
    }

    /// <summary>Stops listening and disconnects every client.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_credentialChecks is not null)
        {
            await _credentialChecks;
        }

        await _server.StopAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server.IsStarted)
        {
            await StopAsync();
        }

        _server.Dispose();
        _certificate?.Dispose();
        _stopping.Dispose();
    }

    private async Task OnConnecting(ValidatingConnectionEventArgs e)
    {
        // MQTT 5 lets a client leave its id empty and have the server assign one (MQTT 3.1.1 clients got theirs from
        // the channel adapter already). Assigned first: MQTTnet answers a refused CONNECT with an empty id as
        // "client identifier not valid", hiding the real reason.
        if (string.IsNullOrEmpty(e.ClientId))
        {
            e.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N");
        }

        if (string.IsNullOrEmpty(e.UserName))
        {
            if (!_options.AcceptsAnonymous)
            {
                _logger.LogWarning("MQTT broker: {Remote} ({ClientId}) refused: no user name, and this broker requires device credentials", e.RemoteEndPoint, e.ClientId);
                e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
                return;
            }
        }
        else if (e.UserName == RelayUser)
        {
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(e.Password ?? ""), System.Text.Encoding.UTF8.GetBytes(_relayPassword)))
            {
                _logger.LogWarning("MQTT broker: {Remote} refused: bad password for the relay's user name", e.RemoteEndPoint);
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            }
        }
        else
        {
            DeviceGrant? grant = null;
            try
            {
                grant = _authenticator is null ? null : await _authenticator.AuthenticateAsync(e.UserName, e.Password, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "MQTT broker: cannot check the credential of {Username}", e.UserName);
                e.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
                return;
            }

            if (grant is null)
            {
                _logger.LogWarning("MQTT broker: {Remote} refused: bad user name or password for {Username}", e.RemoteEndPoint, e.UserName);
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
                return;
            }

            // One device cannot take over another's session by using its client id.
            if (!string.IsNullOrEmpty(e.ClientId) && !e.ClientId.StartsWith("auto-", StringComparison.Ordinal)
                && e.ClientId != grant.Username && !e.ClientId.StartsWith(grant.Username + "/", StringComparison.Ordinal))
            {
                _logger.LogWarning("MQTT broker: {Username} refused: client id {ClientId} is not its own (use {Username}, {Username}/… or none)",
                    e.UserName, e.ClientId, grant.Username, grant.Username);
                e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
                return;
            }

            e.SessionItems[GrantKey] = grant;
        }
    }

    private Task OnSubscribing(InterceptingSubscriptionEventArgs e)
    {
        if (e.SessionItems[GrantKey] is DeviceGrant grant && !DeviceTopics.MaySubscribe(grant.Twins, e.TopicFilter.Topic))
        {
            _logger.LogWarning("MQTT broker: device {Username} may not subscribe to {Filter}", grant.Username, e.TopicFilter.Topic);
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }

        return Task.CompletedTask;
    }

    private async Task OnPublish(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (e.SessionItems?[GrantKey] is DeviceGrant grant && (message.Topic is not { } allowed || !DeviceTopics.MayPublish(grant.Twins, allowed)))
        {
            await RefusePublish(e, grant);
            return;
        }

        // Commands, desired documents and replies are the relay's business, not telemetry.
        if (_pipeline is null || message.Topic is not { } topic || !topic.StartsWith(TwinsPrefix, StringComparison.Ordinal)
            || CommandTopics.IsCommandTraffic(topic))
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

    private async Task RefusePublish(InterceptingPublishEventArgs e, DeviceGrant grant)
    {
        var topic = e.ApplicationMessage.Topic ?? "";
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        _logger.LogWarning("MQTT broker: device {Username} may not publish to {Topic}", grant.Username, topic);
        if (_deadLetters is null)
        {
            return;
        }

        var twin = DeviceTopics.TwinOf(topic) is { } id && TwinId.Check(id) is null ? new TwinId(id) : (TwinId?)null;
        try
        {
            await _deadLetters.AddAsync([DeadLetter.Of(_time.GetUtcNow(), topic, twin, DeadLetterReason.NotAuthorized,
                $"device '{grant.Username}': {DeviceTopics.PublishRefusal(grant.Twins, topic)}", e.ApplicationMessage.Payload.ToArray())], e.CancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "MQTT broker: the dead letter of a refused publish on {Topic} was not stored", topic);
        }
    }

    // Closes connections whose credential was revoked or rotated since they signed in, whenever the registry moves.
    private async Task CheckCredentialsAsync(CancellationToken cancellationToken)
    {
        long? seen = null;
        using var timer = new PeriodicTimer(_options.CredentialCheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var version = await _authenticator!.VersionAsync(cancellationToken);
                    if (version == seen)
                    {
                        continue;
                    }

                    seen = version;
                    foreach (var client in await _server.GetClientsAsync())
                    {
                        if (client.Session.Items[GrantKey] is DeviceGrant grant && !await _authenticator.IsCurrentAsync(grant, cancellationToken))
                        {
                            _logger.LogWarning("MQTT broker: closing {ClientId}: the credential of device {Username} was revoked or rotated", client.Id, grant.Username);
                            await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized });
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "MQTT broker: checking open connections against the device registry failed; trying again");
                    seen = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
