namespace TwinCluster.Storage.History.Bench;

/// <summary>What one tier holds at the end of a <see cref="HistoryBench"/> run.</summary>
/// <param name="Tier">hot, warm or cold.</param>
/// <param name="Days">Days it holds.</param>
/// <param name="Rows">Its rows: hot rows, rollup rows (all resolutions), or cold points (one Parquet row each).</param>
/// <param name="Points">Feature points of those days (a number of one feature of one window; NaN is none).</param>
/// <param name="Bytes">Bytes on disk: partitions with their index, the rollup table with its indexes, the Parquet files.</param>
public sealed record HistoryBenchTier(string Tier, int Days, long Rows, long Points, long Bytes)
{
    /// <summary>Bytes per feature point of the days the tier holds.</summary>
    public double BytesPerPoint => Points == 0 ? 0 : Bytes / (double)Points;
}
