using Orleans.Dashboard;
using Orleans.Runtime;
using TwinCluster.Silo.Hosting;

namespace TwinCluster.Silo.Endpoints;

/// <summary>Liveness and readiness probes for Kubernetes and scripts; Prometheus metrics; the Orleans dashboard when enabled.</summary>
public static class HealthEndpoints
{
    public static WebApplication MapTwinSiloEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok("alive")).AllowAnonymous();
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
        }).AllowAnonymous();

        var options = app.Services.GetRequiredService<SiloDescription>().Options;
        if (options.PrometheusMetrics)
        {
            app.MapPrometheusScrapingEndpoint().AllowAnonymous();
        }

        if (options.Dashboard)
        {
            // Cluster internals (grain types, silos, errors): an unscoped admin only, over HTTPS.
            app.MapOrleansDashboard("/dashboard").RequireAuthorization(TwinCluster.Silo.Api.Auth.ApiAuthentication.AdminPolicy);
        }

        return app;
    }
}
