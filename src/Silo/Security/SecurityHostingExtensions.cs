using Npgsql;
using TwinCluster.Grains.Security;
using TwinCluster.Silo.Hosting;

namespace TwinCluster.Silo.Security;

/// <summary>The silo's security set-up: the audit log's store, the embedded default's admin token, development TLS.</summary>
public static class SecurityHostingExtensions
{
    /// <summary>
    /// In PostgreSQL mode the audit log goes to the <c>security_audit</c> table; in the embedded default it stays in
    /// memory, and an admin token is created at start (<see cref="EmbeddedAdminToken"/>; off with
    /// <c>TwinCluster:Security:CreateAdminToken=false</c>). <c>TwinCluster:Mqtt:Tls:DevelopmentCertificate=true</c>
    /// without a certificate path makes a self-signed one for the MQTT broker. Call after <c>UseOrleans</c>, before
    /// the ingress, so the token is made once the silo runs and the broker sees the certificate.
    /// </summary>
    public static WebApplicationBuilder AddTwinSecurity(this WebApplicationBuilder builder, SiloMode mode, string? connectionString)
    {
        if (mode != SiloMode.Embedded && connectionString is not null)
        {
            // Registered after the grains' in-memory default, so this one is resolved.
            builder.Services.AddSingleton<IAuditLog>(_ => new PostgresAuditLog(NpgsqlDataSource.Create(connectionString)));
        }

        if (mode == SiloMode.Embedded && builder.Configuration.GetValue("TwinCluster:Security:CreateAdminToken", true))
        {
            builder.Services.AddHostedService<EmbeddedAdminToken>();
        }

        const string tls = "TwinCluster:Mqtt:Tls";
        if (builder.Configuration.GetValue($"{tls}:DevelopmentCertificate", false) && string.IsNullOrEmpty(builder.Configuration[$"{tls}:CertificatePath"]))
        {
            var (certificate, key) = DevelopmentCertificate.Ensure(SecurityDirectory.Resolve(builder.Configuration), "mqtt-dev");
            builder.Configuration[$"{tls}:CertificatePath"] = certificate;
            builder.Configuration[$"{tls}:KeyPath"] = key;
        }

        return builder;
    }
}
