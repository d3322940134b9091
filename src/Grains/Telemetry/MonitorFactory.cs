using TwinCluster.Analytics;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Models;

namespace TwinCluster.Grains.Telemetry;

/// <summary>
/// Condition monitoring inside a component twin: a twin whose model is (or extends) a bearing, main bearing, gearbox
/// or generator gets a <see cref="ComponentMonitor"/>, fed by its <see cref="TelemetryIntake"/>. Other twins are not
/// monitored.
/// </summary>
public static class MonitorFactory
{
    /// <summary>The severity-zone kind for a model, from its id and its bases; null when it is not a monitored component.</summary>
    public static ComponentKind? MonitoredKind(string modelId, IEnumerable<string> bases)
    {
        ArgumentNullException.ThrowIfNull(bases);
        var ids = bases.Prepend(modelId).ToList();
        bool Is(string name) => ids.Any(id => id.Contains(":" + name + ";", StringComparison.OrdinalIgnoreCase));
        return Is("MainBearing") ? ComponentKind.MainBearing
            : Is("Gearbox") ? ComponentKind.Gearbox
            : Is("Generator") ? ComponentKind.Generator
            : Is("Bearing") ? ComponentKind.Generic
            : null;
    }

    /// <summary>
    /// The monitor for a twin of <paramref name="modelId"/> with these properties, or null when its model is not a
    /// monitored component. Throws what the model lookup throws, or <see cref="ArgumentException"/> for properties a
    /// monitor cannot use.
    /// </summary>
    public static async Task<ComponentMonitor?> CreateAsync(ModelCache models, ConditionSettings settings, string modelId, string propertiesJson)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(settings);
        var model = await models.GetAsync(modelId);
        return MonitoredKind(modelId, model.Interface.AllBases) is { } kind
            ? new ComponentMonitor(kind, propertiesJson, settings.For(modelId, model.Interface.AllBases))
            : null;
    }
}
