using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;
using TwinCluster.Wire;

namespace TwinCluster.Client.Tests;

/// <summary>
/// An MQTTnet broker in this process on a free loopback port. It records the seq of every telemetry message it
/// accepted, across restarts on the same port, so a test can check that nothing went missing.
/// </summary>
internal sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<long>> _received = new(StringComparer.Ordinal);
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly Lock _gate = new();
    private MqttServer? _server;
    private int _count;
    private int _holdFrom = int.MaxValue;
    private TaskCompletionSource _release = NewRelease();

    private EmbeddedBroker(int port) => Port = port;

    public int Port { get; }

    public int ReceivedCount => Volatile.Read(ref _count);

    public ConcurrentBag<string> Problems { get; } = [];

    public static async Task<EmbeddedBroker> StartAsync()
    {
        var broker = new EmbeddedBroker(FreePort());
        await broker.StartServerAsync();
        return broker;
    }

    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port != 1883)
            {
                return port;
            }
        }
    }

    /// <summary>The seqs accepted for <paramref name="twinId"/>, duplicates included.</summary>
    public IReadOnlyCollection<long> SeqsOf(string twinId) => _received.TryGetValue(twinId, out var bag) ? [.. bag] : [];

    /// <summary>Completes once the broker has accepted at least <paramref name="count"/> telemetry messages.</summary>
    public Task WhenReceived(int count)
    {
        lock (_gate)
        {
            if (_count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }

    /// <summary>
    /// Holds every telemetry message after the first <paramref name="count"/> (no PUBACK, so the publisher stalls at its
    /// in-flight limit) until the broker stops, so a test can stop it at a known point however fast the publisher runs.
    /// </summary>
    public void HoldFrom(int count) => Volatile.Write(ref _holdFrom, count);

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            var stopping = server.StopAsync();
            _release.TrySetResult();
            await stopping;
            server.Dispose();
        }
    }

    /// <summary>Starts a fresh server (no sessions kept) on the same port, accepting everything again.</summary>
    public Task RestartAsync()
    {
        Volatile.Write(ref _holdFrom, int.MaxValue);
        _release = NewRelease();
        return StartServerAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartServerAsync()
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        server.InterceptingPublishAsync += Record;
        await server.StartAsync();
        _server = server;
    }

    private static TaskCompletionSource NewRelease() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task Record(InterceptingPublishEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (!TelemetryTopic.TryParse(message.Topic, out var topic))
        {
            Problems.Add($"unexpected topic '{message.Topic}'");
            return;
        }

        var decoded = PayloadDecoder.Decode(topic.TwinId, message.Payload, message.ContentType, IngressLimits.Default, DateTimeOffset.UtcNow);
        if (!decoded.IsSuccess)
        {
            Problems.Add($"{message.Topic}: {decoded.Rejection}");
            return;
        }

        if (Volatile.Read(ref _count) >= Volatile.Read(ref _holdFrom))
        {
            // Recorded once let go: if its PUBACK is lost with the connection, the publisher sends it again, which
            // shows as a duplicate seq, never as a gap.
            await _release.Task;
        }

        _received.GetOrAdd(topic.TwinId.Value, _ => []).Add(decoded.Message.Seq);
        lock (_gate)
        {
            _count++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_count >= _waiters[i].Count)
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
