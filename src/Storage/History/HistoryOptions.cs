namespace TwinCluster.Storage.History;

/// <summary>History settings (section <c>TwinCluster:History</c>).</summary>
public sealed class HistoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "TwinCluster:History";

    /// <summary>How long full-resolution rows stay in PostgreSQL (whole days), 30 days by default.</summary>
    public TimeSpan HotRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long minute, hour and day rollups are kept, 2 years by default.</summary>
    public TimeSpan WarmRetention { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Where closed partitions are exported as Parquet before they are dropped; null drops them without export.</summary>
    public string? ColdDirectory { get; set; }

    /// <summary>How long after its end a day's partition is closed and rolled up (late rows within it still count).</summary>
    public TimeSpan CloseAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the silo rolls up, exports and applies retention (PostgreSQL mode).</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether this silo runs the maintenance at all (several silos may; they take turns under a lock).</summary>
    public bool Maintenance { get; set; } = true;

    /// <summary>The writer flushes at least this often.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Records per write batch at most.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Records waiting for the writer at most; beyond this new records are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 200_000;

    /// <summary>Embedded default: rows kept per twin (the oldest go first).</summary>
    public int MemoryRowsPerTwin { get; set; } = 20_000;

    /// <summary>Embedded default: changes kept per twin.</summary>
    public int MemoryChangesPerTwin { get; set; } = 1_000;

    /// <summary>The problems with these settings, each naming its setting; empty when all is well.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (HotRetention < TimeSpan.FromDays(1))
        {
            problems.Add($"{Section}:HotRetention must be at least one day (is {HotRetention})");
        }

        if (WarmRetention < HotRetention)
        {
            problems.Add($"{Section}:WarmRetention ({WarmRetention}) must not be shorter than HotRetention ({HotRetention})");
        }

        if (CloseAfter < TimeSpan.Zero || CloseAfter > TimeSpan.FromDays(1))
        {
            problems.Add($"{Section}:CloseAfter must be between 0 and 1 day (is {CloseAfter})");
        }

        if (MaintenanceInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{Section}:MaintenanceInterval must be at least 1 s (is {MaintenanceInterval})");
        }

        if (FlushInterval <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:FlushInterval must be positive (is {FlushInterval})");
        }

        if (BatchSize is < 1 or > 1_000_000)
        {
            problems.Add($"{Section}:BatchSize must be between 1 and 1000000 (is {BatchSize})");
        }

        if (QueueCapacity < BatchSize)
        {
            problems.Add($"{Section}:QueueCapacity ({QueueCapacity}) must be at least BatchSize ({BatchSize})");
        }

        if (MemoryRowsPerTwin < 1 || MemoryChangesPerTwin < 1)
        {
            problems.Add($"{Section}:MemoryRowsPerTwin and MemoryChangesPerTwin must be at least 1");
        }

        return problems;
    }
}
