using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// One of the embedded broker's TCP listeners: plain TCP, or TLS when given a <paramref name="certificate"/>, on one
/// endpoint; every connection is read through a <see cref="PacketSizeGuardStream"/> (inside TLS) so an oversized
/// packet, a CONNECT included, closes the connection before it is allocated and before anyone has signed in.
/// </summary>
internal sealed class GuardedTcpServerAdapter(IPEndPoint endpoint, int maxPacketBytes, ILogger logger,
    System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null) : IMqttServerAdapter
{
    // A client that opens a TLS connection and never finishes the handshake is cut off after this long.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private TcpListener? _listener;
    private CancellationTokenSource? _stopping;
    private Task? _acceptLoop;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The bound endpoint (the port is known once started, also when 0 was asked for).</summary>
    public IPEndPoint? BoundEndpoint => _listener?.LocalEndpoint as IPEndPoint;

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        _listener = new TcpListener(endpoint);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(backlog: 1024);
        _stopping = new CancellationTokenSource();
        _acceptLoop = Task.Run(() => AcceptLoop(options, mqttLogger, _stopping.Token));
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (_stopping is null || _listener is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }
    }

    public void Dispose()
    {
        _stopping?.Cancel();
        _listener?.Stop();
        _stopping?.Dispose();
    }

    private async Task AcceptLoop(MqttServerOptions options, IMqttNetLogger mqttLogger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                logger.LogWarning(ex, "MQTT broker: accept failed");
                continue;
            }

            _ = Task.Run(() => Serve(socket, options, mqttLogger), CancellationToken.None);
        }
    }

    private async Task Serve(Socket socket, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        try
        {
            socket.NoDelay = true;
            var remote = socket.RemoteEndPoint;
            Stream transport = new NetworkStream(socket, ownsSocket: true);
            if (certificate is not null)
            {
                var tls = new System.Net.Security.SslStream(transport, leaveInnerStreamOpen: false);
                transport = tls;
                using var handshake = new CancellationTokenSource(HandshakeTimeout);
                try
                {
                    await tls.AuthenticateAsServerAsync(new System.Net.Security.SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateRequired = false,
                        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                    }, handshake.Token);
                }
                catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
                {
                    // Plain MQTT on the TLS port ends here, as does a client that does not trust the certificate.
                    logger.LogWarning("MQTT broker: {Remote}: TLS handshake failed ({Reason}); closing the connection", remote, ex.Message);
                    await tls.DisposeAsync();
                    return;
                }
            }

            await using var stream = new PacketSizeGuardStream(transport, maxPacketBytes,
                reason => logger.LogWarning("MQTT broker: {Remote}: {Reason}", remote, reason));
            var channel = new MqttTcpChannel(stream, socket.LocalEndPoint!, socket.RemoteEndPoint!, clientCertificate: null);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
            using var adapter = new ClientIdAssigningChannelAdapter(new MqttChannelAdapter(channel, formatter, mqttLogger));
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or SocketException or ObjectDisposedException)
        {
            logger.LogDebug(ex, "MQTT broker: connection closed");
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "MQTT broker: connection failed");
        }
    }
}
