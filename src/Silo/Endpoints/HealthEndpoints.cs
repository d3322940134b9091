using Orleans.Runtime;

namespace TwinCluster.Silo.Endpoints;

/// <summary>Liveness and readiness probes for Kubernetes and scripts.</summary>
public static class HealthEndpoints
{
    public static WebApplication MapTwinSiloEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok("alive"));
        app.MapGet("/readyz", async (IGrainFactory grains, CancellationToken ct) =>
        {
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
        return app;
    }
}
