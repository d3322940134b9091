using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MQTTnet.Packets;
using MQTTnet.Server;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// The built-in broker's rules for command requests, which MQTTnet's server does not apply by itself. A request is
/// kept for a device session that is not connected (a persistent session) only when the twin asked for queueing (the
/// <c>queue-for</c> user property): otherwise the session is passed over, and when no connected session takes the
/// request the relay hears "no matching subscribers", so the twin answers Offline at once instead of a request
/// reaching the device later, after its caller was told it timed out. And a request not delivered by its
/// <c>expires-at</c> is dropped, as MQTT 5 message expiry asks (MQTTnet delivers queued messages past their expiry).
/// </summary>
internal sealed class CommandRequestGuard
{
    // A disconnect this soon after the latest connect of the same client id may belong to an older connection that a
    // reconnect overtook: then the server is asked whether the id is connected after all.
    private static readonly TimeSpan RecentConnect = TimeSpan.FromSeconds(10);

    private readonly MqttServer _server;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, long> _connected = new(StringComparer.Ordinal);
    private long _notKept;
    private long _expired;

    /// <summary>Attaches to <paramref name="server"/>; create it after the broker's own CONNECT check is attached.</summary>
    public CommandRequestGuard(MqttServer server, TimeProvider time, ILogger logger)
    {
        _server = server;
        _time = time;
        _logger = logger;
        // Connected from the accepted CONNECT on (before the CONNACK), so a request sent the moment the device is
        // back is not taken for one to a session that is away; the connected event confirms it.
        server.ValidatingConnectionAsync += OnValidated;
        server.ClientConnectedAsync += OnConnected;
        server.ClientDisconnectedAsync += OnDisconnected;
        server.InterceptingClientEnqueueAsync += OnEnqueue;
        server.InterceptingOutboundPacketAsync += OnOutbound;
    }

    /// <summary>Requests not kept for a session that was not connected (no queueing asked for).</summary>
    public long NotKept => Interlocked.Read(ref _notKept);

    /// <summary>Requests dropped undelivered because they had expired.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    private Task OnValidated(ValidatingConnectionEventArgs e)
    {
        if (e.ReasonCode == MQTTnet.Protocol.MqttConnectReasonCode.Success)
        {
            _connected[string.IsNullOrEmpty(e.ClientId) ? e.AssignedClientIdentifier : e.ClientId] = _time.GetTimestamp();
        }

        return Task.CompletedTask;
    }

    private Task OnConnected(ClientConnectedEventArgs e)
    {
        _connected[e.ClientId] = _time.GetTimestamp();
        return Task.CompletedTask;
    }

    private async Task OnDisconnected(ClientDisconnectedEventArgs e)
    {
        // A connection taken over by a new one of the same id: the new one is connected already.
        if (e.DisconnectType == MqttClientDisconnectType.Takeover
            || !_connected.TryRemove(e.ClientId, out var since) || _time.GetElapsedTime(since) > RecentConnect)
        {
            return;
        }

        try
        {
            foreach (var client in await _server.GetClientsAsync())
            {
                if (client.Id == e.ClientId)
                {
                    _connected.TryAdd(e.ClientId, since);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogDebug(ex, "MQTT broker: could not check whether {ClientId} reconnected", e.ClientId);
        }
    }

    private Task OnEnqueue(InterceptingClientApplicationMessageEnqueueEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (CommandTopics.IsRequest(message.Topic) && !_connected.ContainsKey(e.ReceiverClientId)
            && Property(message.UserProperties, CommandTopics.QueueForProperty) is null)
        {
            e.AcceptEnqueue = false;
            Interlocked.Increment(ref _notKept);
            _logger.LogDebug("MQTT broker: request {Topic} not kept for {ClientId}: its session is not connected and the command was not queued",
                message.Topic, e.ReceiverClientId);
        }

        return Task.CompletedTask;
    }

    private Task OnOutbound(InterceptingPacketEventArgs e)
    {
        if (e.Packet is MqttPublishPacket publish && CommandTopics.IsRequest(publish.Topic)
            && Property(publish.UserProperties, CommandTopics.ExpiresAtProperty) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiresAt)
            && expiresAt < _time.GetUtcNow())
        {
            e.ProcessPacket = false;
            Interlocked.Increment(ref _expired);
            _logger.LogInformation("MQTT broker: request {Topic} expired at {ExpiresAt:u} before it reached {ClientId}; dropped undelivered",
                publish.Topic, expiresAt, e.ClientId);
        }

        return Task.CompletedTask;
    }

    private static string? Property(IEnumerable<MqttUserProperty>? properties, string name)
    {
        if (properties is null)
        {
            return null;
        }

        foreach (var property in properties)
        {
            if (property.Name == name)
            {
                return property.ReadValueAsString();
            }
        }

        return null;
    }
}
