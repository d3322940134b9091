using System.ComponentModel.DataAnnotations;
using TwinCluster.Hosting;

namespace TwinCluster.Silo.Hosting;

/// <summary>Silo settings, section <c>TwinCluster</c> (environment: <c>TwinCluster__SiloPort</c> and so on).</summary>
public sealed class TwinSiloOptions
{
    public const string Section = "TwinCluster";

    /// <summary>Connection string key: <c>ConnectionStrings:TwinCluster</c>, env <c>ConnectionStrings__TwinCluster</c>.</summary>
    public const string ConnectionStringName = "TwinCluster";

    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "twincluster";

    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "twincluster";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>HTTP port for health probes (/healthz, /readyz); 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; } = 8080;

    /// <summary>HTTPS port of the API (the Azure Digital Twins data plane and TwinCluster's own resources).</summary>
    [Range(1, 65535)]
    public int HttpsPort { get; set; } = 8443;

    /// <summary>Address other silos and clients use to reach this one; loopback when unset.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Apply the PostgreSQL migration at start-up (PostgreSQL mode).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>OTLP endpoint for metrics and traces (also read from OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Print metrics and traces to the console.</summary>
    public bool ConsoleTelemetry { get; set; }

    /// <summary>Serve Prometheus metrics (Orleans', TwinCluster's, Npgsql's and the runtime's meters) on <c>/metrics</c>.</summary>
    public bool PrometheusMetrics { get; set; } = true;

    /// <summary>
    /// Serve the Orleans dashboard on <c>/dashboard</c>. Off by default: it has no authentication yet (no roles exist
    /// in TwinCluster), and its grain-call profiling costs CPU on every call.
    /// </summary>
    public bool Dashboard { get; set; }

    /// <summary>
    /// Orleans' activation rebalancer (PostgreSQL and Kubernetes modes): moves activations from busy silos onto new or
    /// lightly loaded ones, so a silo added to a running cluster takes a share of the twins.
    /// </summary>
    public bool ActivationRebalancing { get; set; } = true;

    /// <summary>
    /// How long a stopping silo keeps running before Orleans shuts down: <c>/readyz</c> answers 503 from the first
    /// moment, so load balancers and Kubernetes take it out of rotation meanwhile. Zero in tests and locally.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ShutdownDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Time the host gives its services, Orleans among them, to stop (hand activations over, leave membership).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The default number of telemetry stream queues.</summary>
    public const int DefaultStreamQueues = TwinSiloBuilderExtensions.DefaultStreamQueues;

    /// <summary>Telemetry stream queues (memory streams); every silo and ingress of a cluster must agree.</summary>
    [Range(1, 256)]
    public int StreamQueues { get; set; } = DefaultStreamQueues;

    /// <summary>The rules across settings, each naming its keys (the data annotations are checked first).</summary>
    public IEnumerable<string> Problems()
    {
        if (SiloPort == GatewayPort)
        {
            yield return $"{Section}:SiloPort and {Section}:GatewayPort are both {SiloPort}; they must differ";
        }

        if (AdvertisedAddress is { Length: > 0 } address && !System.Net.IPAddress.TryParse(address, out _))
        {
            yield return $"{Section}:AdvertisedAddress '{address}' is not an IP address";
        }

        if (OtlpEndpoint is { Length: > 0 } otlp && !Uri.TryCreate(otlp, UriKind.Absolute, out _))
        {
            yield return $"{Section}:OtlpEndpoint '{otlp}' is not an absolute URI";
        }
    }
}
