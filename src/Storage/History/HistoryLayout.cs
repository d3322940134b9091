using System.Collections.Immutable;

namespace TwinCluster.Storage.History;

/// <summary>A list of value names rows share (table history_layout).</summary>
public sealed record HistoryLayout(int Id, string Source, ImmutableArray<string> Names);
