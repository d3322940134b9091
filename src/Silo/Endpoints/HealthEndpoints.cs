using Orleans.Dashboard;
using Orleans.Runtime;
using TwinCluster.Silo.Hosting;

namespace TwinCluster.Silo.Endpoints;

/// <summary>Liveness and readiness probes for Kubernetes and scripts; Prometheus metrics; the Orleans dashboard when enabled.</summary>
public static class HealthEndpoints
{
    public static WebApplication MapTwinSiloEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok("alive"));
        app.MapGet("/readyz", async (IGrainFactory grains, IHostApplicationLifetime lifetime, CancellationToken ct) =>
        {
            // From the first moment of a shutdown: take no new work, the activations are about to move.
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return Results.Problem("the silo is shutting down", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            try
            {
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), ct);
                return Results.Ok(new { activeSilos = hosts.Count });
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });

        var options = app.Services.GetRequiredService<SiloDescription>().Options;
        if (options.PrometheusMetrics)
        {
            app.MapPrometheusScrapingEndpoint();
        }

        if (options.Dashboard)
        {
            // No authentication: TwinCluster has no roles yet. Enable it only where the HTTP port is private.
            app.MapOrleansDashboard("/dashboard");
        }

        return app;
    }
}
