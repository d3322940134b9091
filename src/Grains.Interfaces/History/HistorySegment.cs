namespace TwinCluster.Grains.Interfaces;

/// <summary>A part [From, To) of a trend's range and the tier it was answered from.</summary>
[GenerateSerializer, Immutable, Alias("tc.HistorySegment")]
public sealed record HistorySegment(
    [property: Id(0)] DateTime From,
    [property: Id(1)] DateTime To,
    [property: Id(2)] HistoryTier Tier);
