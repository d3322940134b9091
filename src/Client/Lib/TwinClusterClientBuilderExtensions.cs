using System.Net;
using Orleans.Configuration;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Client;

/// <summary>The one way an Orleans client (CLI, standalone ingress, tests) is pointed at a TwinCluster.</summary>
public static class TwinClusterClientBuilderExtensions
{
    /// <summary>The ADO.NET invariant of PostgreSQL; the process must carry Npgsql to use it.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// Sets the cluster and service ids and the clustering: the PostgreSQL membership table when
    /// <paramref name="connectionString"/> is set, otherwise the static <paramref name="gateways"/>.
    /// </summary>
    /// <remarks>
    /// With <paramref name="tls"/> the client speaks mutual TLS to the gateways (<see cref="OrleansTls"/>), as silos
    /// configured with <c>TwinCluster:OrleansTls</c> require.
    /// </remarks>
    public static IClientBuilder UseTwinCluster(this IClientBuilder client, string clusterId, string serviceId,
        string? connectionString, IEnumerable<IPEndPoint> gateways, OrleansTls? tls = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(gateways);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
        if (connectionString is not null)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresInvariant;
                o.ConnectionString = connectionString;
            });
        }
        else
        {
            client.UseStaticClustering([.. gateways]);
        }

        if (tls is not null)
        {
            var validate = tls.Validator();
            client.UseTls(tls.LoadCertificate(), o =>
            {
                o.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
                o.RemoteCertificateValidation = (certificate, _, errors) => validate(certificate, errors);
                o.OnAuthenticateAsClient = (_, options) => options.TargetHost = OrleansTls.TargetHost;
            });
        }

        return client;
    }
}
