using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Models;
using TwinCluster.Grains.Twins;

namespace TwinCluster.Grains;

/// <summary>Registers what the grains need in a silo.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain services. An <see cref="ITwinIndexStore"/> registered before this call wins; otherwise the
    /// index lives in memory.
    /// </summary>
    public static IServiceCollection AddTwinGrains(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITwinIndexStore, InMemoryTwinIndexStore>();
        services.AddOptions<IndexOptions>().BindConfiguration("TwinCluster:Index")
            .Validate(o => o.Shards is >= 1 and <= 1024, "TwinCluster:Index:Shards must be between 1 and 1024")
            .ValidateOnStart();
        services.AddSingleton<TwinMetrics>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<TwinRules>();
        services.AddSingleton<IndexRouter>();
        return services;
    }
}
