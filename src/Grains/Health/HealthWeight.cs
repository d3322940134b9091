namespace TwinCluster.Grains.Health;

/// <summary>
/// The weight of a model's twins in their container's health (configuration <c>TwinCluster:Health:Weights</c>, a list
/// of <c>{ "Model": "dtmi:…;1", "Weight": 0.5 }</c>): 1 counts fully, 0.5 halves its loss of health, 0 leaves it out
/// of the roll-up (shown, not counted). A twin takes the weight of its own model, else of its nearest base that has one.
/// </summary>
public sealed class HealthWeight
{
    /// <summary>The model id (DTMI) the weight applies to, also through models that extend it.</summary>
    public string Model { get; set; } = "";

    /// <summary>In [0, 1].</summary>
    public double Weight { get; set; } = 1;
}
