using System.ComponentModel.DataAnnotations;

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

    /// <summary>The default number of telemetry stream queues.</summary>
    public const int DefaultStreamQueues = 8;

    /// <summary>Telemetry stream queues (memory streams); every silo and ingress of a cluster must agree.</summary>
    [Range(1, 256)]
    public int StreamQueues { get; set; } = DefaultStreamQueues;
}
