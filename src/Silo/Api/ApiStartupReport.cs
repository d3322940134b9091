using Microsoft.Extensions.Options;
using TwinCluster.Grains.Security;
using TwinCluster.Silo.Hosting;

namespace TwinCluster.Silo.Api;

/// <summary>Says where the API listens, which certificate a client must trust, and how a client signs in.</summary>
public sealed class ApiStartupReport(
    SiloDescription silo, HttpsCertificate certificate, ApiOptions options, IOptions<JwtOptions> jwtOptions, IHostApplicationLifetime lifetime, ILogger<ApiStartupReport> logger)
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

            // Off is warned about where the middleware is set up (UseTwinAuthentication).
            if (options.Authentication == ApiAuthenticationMode.Required)
            {
                var jwt = jwtOptions.Value;
                logger.LogInformation(
                    "The HTTP API requires a sign-in on every path but the probes, the API description and the sign-in page: 'Authorization: Bearer' with a TwinCluster API token (twin auth token create){Jwt}",
                    jwt.IsEnabled ? $", or a JWT of {jwt.Authority} for audience {jwt.Audience}" : "");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
