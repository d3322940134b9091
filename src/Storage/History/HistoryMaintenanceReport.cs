namespace TwinCluster.Storage.History;

/// <summary>What one maintenance run did.</summary>
/// <param name="Ran">False when another process held the maintenance lock, so this run did nothing.</param>
/// <param name="RolledUp">Days rolled up into the warm tier.</param>
/// <param name="Exported">Days exported to cold files (and dropped from the hot tier).</param>
/// <param name="Dropped">Days dropped from the hot tier without export.</param>
/// <param name="WarmRowsDeleted">Rollup rows past the warm retention deleted.</param>
public sealed record HistoryMaintenanceReport(bool Ran, IReadOnlyList<DateOnly> RolledUp, IReadOnlyList<DateOnly> Exported, IReadOnlyList<DateOnly> Dropped, long WarmRowsDeleted);
