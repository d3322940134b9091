namespace TwinCluster.Client;

/// <summary>How to reach a cluster: static gateways (default localhost:30000), or the PostgreSQL membership table.</summary>
public sealed class TwinClientOptions
{
    /// <summary>Gateway endpoints as host:port; used when <see cref="ConnectionString"/> is not set.</summary>
    public IList<string> Gateways { get; } = ["127.0.0.1:30000"];

    /// <summary>PostgreSQL connection string: gateways are read from the cluster's membership table.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Cluster id; must match the silos' <c>TwinCluster:ClusterId</c>.</summary>
    public string ClusterId { get; set; } = "twincluster";

    /// <summary>Service id; must match the silos' <c>TwinCluster:ServiceId</c>.</summary>
    public string ServiceId { get; set; } = "twincluster";

    /// <summary>How long to keep trying to connect before giving up.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Export the client's metrics and traces to this OTLP endpoint, when set.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// Mutual TLS to the gateways, for silos that require it (<c>TwinCluster:OrleansTls</c>); by default from the
    /// environment: TWIN_ORLEANS_TLS_CERT, TWIN_ORLEANS_TLS_KEY and TWIN_ORLEANS_TLS_CA.
    /// </summary>
    public TwinCluster.Grains.Interfaces.OrleansTls? OrleansTls { get; set; } = TwinCluster.Grains.Interfaces.OrleansTls.From(key => key switch
    {
        "TwinCluster:OrleansTls:CertificatePath" => Environment.GetEnvironmentVariable("TWIN_ORLEANS_TLS_CERT"),
        "TwinCluster:OrleansTls:KeyPath" => Environment.GetEnvironmentVariable("TWIN_ORLEANS_TLS_KEY"),
        "TwinCluster:OrleansTls:CaPath" => Environment.GetEnvironmentVariable("TWIN_ORLEANS_TLS_CA"),
        _ => null,
    });
}
