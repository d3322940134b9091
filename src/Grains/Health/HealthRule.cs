namespace TwinCluster.Grains.Health;

/// <summary>How a container's health index is rolled up from its components (the status is always worst-of).</summary>
public enum HealthRule
{
    /// <summary>The lowest weighted index: a container is as healthy as its worst component (the default).</summary>
    WorstOf,

    /// <summary>The weighted mean of the indices; the status still comes from the worst component.</summary>
    WeightedMean,
}
