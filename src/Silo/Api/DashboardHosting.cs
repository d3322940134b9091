using System.Runtime;
using TwinCluster.Dashboard;
using TwinCluster.Dashboard.Components;
using TwinCluster.Dashboard.Services;
using TwinCluster.Grains.Security;
using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api;

/// <summary>
/// Hosts the operator dashboard (src/Dashboard) on the HTTPS port with interactive server rendering. Its pages live
/// beside the API's routes (/, /alerts, /twin/…, /condition/…, /model-catalog, /explore, /ingest, /signin) and
/// require a signed-in user, except the sign-in page.
/// </summary>
public static class DashboardHosting
{
    /// <summary>Setting that maps <see cref="MemoryPath"/> (off by default: it forces a full garbage collection).</summary>
    public const string DiagnosticsSetting = "TwinCluster:DashboardDiagnostics";

    /// <summary>The server's managed memory after a forced full collection, with the dashboard's circuits (admin only).</summary>
    public const string MemoryPath = ApiHostingExtensions.OwnPrefix + "/diagnostics/dashboard-memory";

    /// <summary>Registers Razor components, the dashboard's services and the browser sign-in.</summary>
    public static WebApplicationBuilder AddTwinDashboard(this WebApplicationBuilder builder)
    {
        // Scripts and styles come from the packages: run from a build, they are read where the build's manifest says
        // (in every environment, not only Development); a published silo has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Signed in with the browser cookie of ApiAuthentication; the same principal as the API's.
        builder.Services.AddTwinDashboardServices(user => ApiPrincipal.Of(user));
        var jwt = builder.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        builder.Services.AddSingleton(new DashboardSignIn(jwt.IsBrowserSignInEnabled ? jwt.IssuerName : null, ApiAuthentication.OidcSignInPath));
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
        app.Services.GetRequiredService<IngestMonitor>();
        if (app.Configuration.GetValue<bool>(DiagnosticsSetting))
        {
            app.MapGet(MemoryPath, (DashboardCircuits circuits) => TypedResults.Ok(DashboardMemory.Measure(circuits)))
                .RequireAuthorization(ApiAuthentication.AdminPolicy).ExcludeFromDescription();
        }

        return app;
    }
}

/// <summary>
/// What <see cref="DashboardHosting.MemoryPath"/> answers: live managed bytes after a forced, compacting full
/// collection (what the process holds, not what it has yet to collect), the GC's heap size and committed bytes, the
/// process's working set, and the dashboard circuits open and connected.
/// </summary>
internal sealed record DashboardMemory(long ManagedBytes, long HeapSizeBytes, long CommittedBytes, long WorkingSetBytes, int Circuits, int ConnectedCircuits, int FullCollections)
{
    public static DashboardMemory Measure(DashboardCircuits circuits)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return new DashboardMemory(GC.GetTotalMemory(forceFullCollection: false), info.HeapSizeBytes, info.TotalCommittedBytes,
            Environment.WorkingSet, circuits.Open, circuits.Connected, GC.CollectionCount(GC.MaxGeneration));
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
