using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>The alert registry's stored state: open alerts by twin, and the most recently cleared ones.</summary>
[GenerateSerializer, Alias("tc.AlertRegistryState")]
public sealed class AlertRegistryState
{
    [Id(0)] public Dictionary<string, TwinAlert> Open { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public List<TwinAlert> Cleared { get; set; } = [];
}
