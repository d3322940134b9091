using TwinCluster.Silo.Hosting;

namespace TwinCluster.Silo.Api;

/// <summary>Says where the API listens and which certificate a client must trust.</summary>
public sealed class ApiStartupReport(SiloDescription silo, HttpsCertificate certificate, IHostApplicationLifetime lifetime, ILogger<ApiStartupReport> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var host = silo.Mode == SiloMode.Embedded ? "127.0.0.1" : "0.0.0.0";
            if (certificate.TrustPath is { } trust)
            {
                logger.LogInformation(
                    "HTTPS API on https://{Host}:{Port} (reference at /reference) with the development certificate {Certificate}; clients trust its CA {Trust} (e.g. NODE_EXTRA_CA_CERTS={Trust})",
                    host, silo.Options.HttpsPort, certificate.Source, trust, trust);
            }
            else
            {
                logger.LogInformation("HTTPS API on https://{Host}:{Port} (reference at /reference) with the certificate {Certificate}",
                    host, silo.Options.HttpsPort, certificate.Source);
            }

            logger.LogWarning("The HTTP API accepts any bearer token: authentication is not enforced yet");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
