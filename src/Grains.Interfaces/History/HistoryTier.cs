namespace TwinCluster.Grains.Interfaces;

/// <summary>Where a part of a trend was read from.</summary>
public enum HistoryTier
{
    /// <summary>The bounded in-memory history of the embedded default.</summary>
    Memory,

    /// <summary>Full-resolution rows in PostgreSQL's time partitions.</summary>
    Hot,

    /// <summary>Per-minute, hour or day rollups in PostgreSQL.</summary>
    Warm,

    /// <summary>Parquet files of exported partitions.</summary>
    Cold,
}
