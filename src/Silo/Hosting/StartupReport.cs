using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace TwinCluster.Silo.Hosting;

/// <summary>Says once the silo is up where it listens and whether its state is durable.</summary>
public sealed class StartupReport(
    SiloDescription silo, IHostApplicationLifetime lifetime, IServer server, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var o = silo.Options;
            var http = string.Join(", ", server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
            logger.LogInformation(
                "TwinCluster silo up in {Mode} mode: cluster {ClusterId}, silo port {SiloPort}, gateway (clients) port {GatewayPort}, health {Http}",
                silo.Mode, o.ClusterId, o.SiloPort, o.GatewayPort, http);
            if (silo.Mode == SiloMode.Embedded)
            {
                logger.LogWarning(
                    "Embedded default: twins, models, reminders and the index are in memory and NOT DURABLE; they are lost when this process stops. Set ConnectionStrings__TwinCluster for PostgreSQL mode.");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
