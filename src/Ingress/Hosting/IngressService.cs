using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TwinCluster.Ingress.Mqtt;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Ingress.Storage;

namespace TwinCluster.Ingress.Hosting;

/// <summary>
/// Runs the ingress: the pipeline, and the transport that feeds it (the embedded broker or a client of an external
/// one). On stop, an external-broker client stops taking messages but stays connected while the pipeline finishes
/// what it took (so those are acknowledged), then disconnects; the embedded broker stops first.
/// </summary>
public sealed class IngressService(
    IngressSettings settings,
    ITelemetryLog log,
    IDeadLetterStore deadLetters,
    IGrainFactory grains,
    IClusterClient cluster,
    IngressMetrics metrics,
    TimeProvider time,
    ILogger<IngressService> logger) : IHostedService, IAsyncDisposable
{
    private IngressPipeline? _pipeline;
    private EmbeddedMqttBroker? _broker;
    private MqttIngressClient? _client;
    private DeviceCommandRelay? _relay;

    /// <summary>The command relay (null before start, or when no broker runs).</summary>
    public DeviceCommandRelay? Relay => _relay;

    /// <summary>The pipeline (null before start).</summary>
    public IngressPipeline? Pipeline => _pipeline;

    /// <summary>True while the transport takes messages: connected to the external broker, or the embedded one runs.</summary>
    public bool IsConnected => _client?.IsConnected ?? _broker is not null;

    /// <summary>The embedded broker's port, or null when none runs.</summary>
    public int? BrokerPort => _broker?.Port;

    /// <summary>The embedded broker's MQTT over TLS port, or null when it serves no TLS.</summary>
    public int? BrokerTlsPort => _broker?.TlsPort;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = new ClusterTwinDirectory(grains, time);
        _pipeline = new IngressPipeline(settings.Pipeline, log, deadLetters, directory, new StreamTelemetrySink(cluster),
            directory, metrics, time, logger);
        _pipeline.Start();
        if (settings.ExternalBroker.IsConfigured)
        {
            _client = new MqttIngressClient(settings.ExternalBroker, _pipeline, logger, time);
            // Does not wait for the broker: the ingress keeps trying in the background and logs why it cannot connect.
            _ = _client.StartAsync(CancellationToken.None);
            var external = settings.ExternalBroker;
            StartRelay(new RelayConnection(external.Host, external.Port, external.ClientId + "-relay", external.Username, external.Password, external.SharedGroup));
        }
        else if (settings.EmbeddedBroker is { } embedded)
        {
            _broker = new EmbeddedMqttBroker(embedded, _pipeline, logger, time,
                new BrokerSecurity(new GrainDeviceAuthenticator(grains), deadLetters));
            try
            {
                await _broker.StartAsync();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new InvalidOperationException(
                    $"The embedded MQTT broker cannot listen on {embedded.Address}:{embedded.Port} ({ex.Message}). " +
                    "Set TwinCluster:Mqtt:Port to a free port, TwinCluster:Mqtt:Enabled=false, or stop what holds the port.", ex);
            }

            if (_broker.Port == 0)
            {
                logger.LogWarning("Ingress: the built-in broker serves MQTT over TLS only; commands and desired properties are not relayed to devices in this configuration");
            }
            else
            {
                var (user, password) = _broker.RelayCredential;
                var host = embedded.Address is "0.0.0.0" or "::" ? "127.0.0.1" : embedded.Address;
                StartRelay(new RelayConnection(host, _broker.Port, "twincluster-relay-" + Guid.NewGuid().ToString("N")[..12], user, password, ""));
            }
        }
        else
        {
            logger.LogInformation("Ingress: no broker configured (TwinCluster:Ingress:Broker:Host) and the embedded broker is off");
        }

        if (!log.IsDurable)
        {
            logger.LogWarning("Ingress: the telemetry log is in memory and NOT durable: acknowledged telemetry is lost if this process dies. Set ConnectionStrings:TwinCluster for PostgreSQL.");
        }
    }

    private void StartRelay(RelayConnection connection)
    {
        _relay = new DeviceCommandRelay(connection, grains, logger, time);
        _relay.Start();
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_relay is not null)
        {
            await _relay.StopAsync();
        }

        if (_client is not null)
        {
            await _client.StopTakingAsync();
        }

        if (_broker is not null)
        {
            await _broker.StopAsync();
        }

        if (_pipeline is not null)
        {
            await _pipeline.StopAsync(cancellationToken);
        }

        if (_client is not null)
        {
            await _client.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
            _relay = null;
        }

        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync();
        }
    }
}
