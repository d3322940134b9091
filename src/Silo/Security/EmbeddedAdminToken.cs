using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;

namespace TwinCluster.Silo.Security;

/// <summary>
/// The embedded default's admin API token, so the walkthrough needs no extra step: at the first start it is created
/// and written to <c>~/.twincluster/token</c> (mode 0600); later starts register the same token again (the
/// embedded registry is in memory), so scripts keep working. Logs where the file is, never the token.
/// </summary>
public sealed class EmbeddedAdminToken(IGrainFactory grains, IConfiguration configuration, ILogger<EmbeddedAdminToken> logger) : IHostedService
{
    /// <summary>The file name in the security directory.</summary>
    public const string FileName = "token";

    /// <summary>The token's name in lists and the audit log.</summary>
    public const string TokenName = "embedded-admin";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(SecurityDirectory.Resolve(configuration), FileName);
        var request = new ApiTokenRequest(SecurityRole.Admin, null, null, TokenName);
        var existing = File.Exists(path) ? (await File.ReadAllTextAsync(path, cancellationToken)).Trim() : null;
        if (existing is not null && ApiTokenFormat.TryParse(existing, out _))
        {
            await grains.GetApiTokens().Register(existing, request, "silo:embedded-default");
            logger.LogInformation("API admin token: {Path} (kept from an earlier start; the CLI and the dashboard read it from there)", path);
            return;
        }

        var issued = await grains.GetApiTokens().Create(request, "silo:embedded-default");
        SecurityDirectory.WritePrivate(path, issued.Token + "\n");
        logger.LogInformation("API admin token created: {Path} (mode 0600; the CLI and the dashboard read it from there)", path);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
