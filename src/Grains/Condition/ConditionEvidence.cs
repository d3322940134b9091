namespace TwinCluster.Grains.Condition;

/// <summary>One spectral line behind a diagnosis.</summary>
/// <param name="Label">What the line is, e.g. "BPFO x2" or "BPFI x1 - 1x".</param>
/// <param name="FrequencyHz">Where the line was found.</param>
/// <param name="ProminenceDb">How far it stands above the local floor of its spectrum.</param>
[GenerateSerializer, Immutable, Alias("tc.ConditionEvidence")]
public sealed record ConditionEvidence(
    [property: Id(0)] string Label,
    [property: Id(1)] double FrequencyHz,
    [property: Id(2)] double ProminenceDb);
