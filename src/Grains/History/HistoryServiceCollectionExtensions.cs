using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TwinCluster.Storage.History;

namespace TwinCluster.Grains.History;

/// <summary>Registers the history write path and its store.</summary>
public static class HistoryServiceCollectionExtensions
{
    /// <summary>
    /// The history writer (a hosted service twins hand rows to) over the <see cref="IHistoryStore"/> registered before
    /// this call, or the bounded in-memory store of the embedded default. Settings from <c>TwinCluster:History</c>.
    /// </summary>
    public static IServiceCollection AddTwinHistory(this IServiceCollection services)
    {
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<HistoryOptions>>().Value);
        services.TryAddSingleton<IHistoryStore>(sp => new InMemoryHistoryStore(sp.GetRequiredService<HistoryOptions>()));
        services.TryAddSingleton<HistoryWriter>();
        services.TryAddSingleton<ITwinHistorySink>(sp => sp.GetRequiredService<HistoryWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<HistoryWriter>());
        return services;
    }
}
