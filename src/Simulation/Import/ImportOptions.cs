namespace TwinCluster.Simulation.Import;

/// <summary>Tuning of the bulk import.</summary>
public sealed class ImportOptions
{
    /// <summary>Twins per call to an import worker.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Batches in flight at once.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>Longest line accepted, in characters.</summary>
    public int MaxLineLength { get; set; } = 1 << 20;
}
