using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.History;
using TwinCluster.Grains.Interfaces.Settings;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Models;
using TwinCluster.Grains.Telemetry;
using TwinCluster.Grains.Twins;

namespace TwinCluster.Grains;

/// <summary>Registers what the grains need in a silo.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain services. An <see cref="ITwinIndexStore"/> or <see cref="ITelemetryHistory"/> registered before
    /// this call wins; otherwise the index lives in memory and twins have no telemetry log to fill gaps from. <paramref name="defaultImportWrites"/> bounds the bulk import's concurrent storage
    /// writes per silo unless <c>TwinCluster:Import:MaxConcurrentWrites</c> says otherwise.
    /// </summary>
    public static IServiceCollection AddTwinGrains(this IServiceCollection services, int defaultImportWrites = 0)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITwinIndexStore, InMemoryTwinIndexStore>();
        services.AddTwinOptions<IndexOptions>("TwinCluster:Index", o => o.Problems());
        services.AddSingleton<TwinMetrics>();
        services.AddSingleton<TelemetryMetrics>();
        services.TryAddSingleton<ITelemetryHistory, NoTelemetryHistory>();
        services.AddTwinOptions<TelemetryOptions>("TwinCluster:Telemetry", o => o.Problems());
        services.AddTwinOptions<Health.HealthOptions>("TwinCluster:Health", o => o.Problems());
        services.AddTwinOptions<Condition.ConditionSettings>("TwinCluster:Condition", o => o.Problems());
        services.AddTwinHistory();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<TwinRules>();
        services.AddSingleton<Commands.DeviceGateways>();
        services.AddSingleton<TwinServices>();
        services.AddSingleton<IndexRouter>();
        Security.SecurityServiceCollectionExtensions.AddTwinSecurityServices(services);
        services.AddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["TwinCluster:Import:MaxConcurrentWrites"];
            if (configured is null)
            {
                return new Import.ImportThrottle(defaultImportWrites);
            }

            return int.TryParse(configured, out var writes) && writes is >= 0 and <= 100_000
                ? new Import.ImportThrottle(writes)
                : throw new InvalidOperationException($"TwinCluster:Import:MaxConcurrentWrites '{configured}' must be a whole number from 0 (unbounded) to 100000");
        });
        return services;
    }
}
