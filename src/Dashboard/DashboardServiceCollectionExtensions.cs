using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using TwinCluster.Dashboard.Services;

namespace TwinCluster.Dashboard;

/// <summary>Registers what the dashboard's pages use; the host adds Razor components, authentication and the principal resolver.</summary>
public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddTwinDashboardServices(this IServiceCollection services, PrincipalResolver resolver)
    {
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(resolver);
        services.AddSingleton<FleetIndex>();
        services.AddSingleton<IngestMonitor>();
        services.AddSingleton<DashboardCircuits>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitCounter>());
        services.AddScoped<DashboardUser>();
        services.AddScoped<LiveChanges>();
        services.AddScoped<AlertActions>();
        return services;
    }
}
