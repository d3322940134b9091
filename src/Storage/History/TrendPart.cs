using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History;

/// <summary>A part [From, To) of a trend read from one tier (warm at <paramref name="Resolution"/> seconds; cold from one file).</summary>
public sealed record TrendPart(DateTime From, DateTime To, HistoryTier Tier, int Resolution, string? ColdPath);
