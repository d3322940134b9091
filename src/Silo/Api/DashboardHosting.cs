using TwinCluster.Dashboard;
using TwinCluster.Dashboard.Components;
using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api;

/// <summary>
/// Hosts the operator dashboard (src/Dashboard) on the HTTPS port with interactive server rendering. Its pages live
/// beside the API's routes (/, /alerts, /twin/…, /condition/…, /model-catalog, /explore, /ingest, /signin) and
/// require a signed-in user, except the sign-in page.
/// </summary>
public static class DashboardHosting
{
    /// <summary>Registers Razor components, the dashboard's services and the browser sign-in.</summary>
    public static WebApplicationBuilder AddTwinDashboard(this WebApplicationBuilder builder)
    {
        // Scripts and styles come from the packages: run from a build, they are read where the build's manifest says
        // (in every environment, not only Development); a published silo has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Signed in with the browser cookie of ApiAuthentication; the same principal as the API's.
        builder.Services.AddTwinDashboardServices(user => ApiPrincipal.Of(user));
        builder.Services.AddHostedService<DashboardLink>();
        return builder;
    }

    /// <summary>Maps the dashboard's pages and static assets (MudBlazor's and Plotly.Blazor's from their packages).</summary>
    public static WebApplication MapTwinDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        // Scripts and styles (ours, MudBlazor's, Plotly.Blazor's) are public; every page but /signin needs a sign-in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        // The ingest page's meter listener counts from the start, not from the first visit.
        app.Services.GetRequiredService<TwinCluster.Dashboard.Services.IngestMonitor>();
        return app;
    }
}

/// <summary>
/// In the embedded default, prints the dashboard's sign-in link with the admin token at start (on the console, for
/// the person who started the silo on this machine; the log keeps only where the token file is).
/// </summary>
internal sealed class DashboardLink(TwinCluster.Silo.Hosting.SiloDescription silo, IConfiguration configuration, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (silo.Mode != TwinCluster.Silo.Hosting.SiloMode.Embedded)
        {
            return Task.CompletedTask;
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            var path = Path.Combine(TwinCluster.Silo.Security.SecurityDirectory.Resolve(configuration), TwinCluster.Silo.Security.EmbeddedAdminToken.FileName);
            if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token)
            {
                Console.WriteLine($"Dashboard: https://127.0.0.1:{silo.Options.HttpsPort}/?token={Uri.EscapeDataString(token)}");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
