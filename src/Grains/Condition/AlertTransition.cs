namespace TwinCluster.Grains.Condition;

/// <summary>A change of alert state, reported once.</summary>
/// <param name="From">The state last reported.</param>
/// <param name="To">The state now.</param>
/// <param name="AtUtc">Signal time of the analysis that changed it.</param>
/// <param name="Condition">The condition at that moment.</param>
[GenerateSerializer, Immutable, Alias("tc.AlertTransition")]
public sealed record AlertTransition(
    [property: Id(0)] AlertState From,
    [property: Id(1)] AlertState To,
    [property: Id(2)] DateTime AtUtc,
    [property: Id(3)] ComponentCondition Condition);
