namespace TwinCluster.Storage.History.Bench;

/// <summary>The figures of a <see cref="HistoryBench"/> run.</summary>
/// <param name="Components">Components fed.</param>
/// <param name="Days">Simulated days fed.</param>
/// <param name="WindowIntervalSeconds">Simulated seconds between two windows of a component.</param>
/// <param name="ValuesPerWindow">Values per window row (features, bands and scores).</param>
/// <param name="WindowsFed">Windows handed to the writer.</param>
/// <param name="WindowsStored">Windows the store newly stored.</param>
/// <param name="Dropped">Windows the writer dropped (queue full; the feed waits, so 0).</param>
/// <param name="Failures">Write batches that failed and were retried.</param>
/// <param name="FeedSeconds">From the first window handed over to the last one stored.</param>
/// <param name="WindowsPerSecond">Windows stored per second through the writer.</param>
/// <param name="TargetWindowsPerSecond">What writes must keep up with: the condition bench's rate (1,000 twins, about 2 windows a second each).</param>
/// <param name="ReferenceCopyRowsPerSecond">The same rows binary-COPYed into a plain table on one connection, in this run (the reference).</param>
/// <param name="MaintenanceSeconds">The maintenance run (rollups, then exports) over the closed days.</param>
/// <param name="DaysRolledUp">Days rolled up.</param>
/// <param name="DaysExported">Days exported to Parquet and dropped from PostgreSQL.</param>
/// <param name="Hot">The hot tier at the end.</param>
/// <param name="Warm">The warm tier at the end.</param>
/// <param name="Cold">The cold tier at the end.</param>
/// <param name="MinuteRollups">Rollup rows per minute.</param>
/// <param name="HourRollups">Rollup rows per hour.</param>
/// <param name="DayRollups">Rollup rows per day.</param>
/// <param name="WarmMinuteBytesPerPoint">Warm bytes per feature point in the minute rollups (their share of the table by row size).</param>
/// <param name="WarmHourBytesPerPoint">The same for the hour rollups.</param>
/// <param name="WarmDayBytesPerPoint">The same for the day rollups.</param>
/// <param name="SingleTrend">The 30-day hourly trend of one component.</param>
/// <param name="FleetTrend">The 24-hour trend of one feature for all components (the last day: hot).</param>
/// <param name="FleetTrendWarm">The same over the last rolled-up day (warm).</param>
/// <param name="FleetTrendCold">The same over the first day (cold; a step that is not whole minutes, so not from the rollups).</param>
/// <param name="FleetTrendGrouped">The reference for <paramref name="FleetTrend"/>, same run: the same query with its buckets grouped in SQL.</param>
/// <param name="FleetTrendWarmGrouped">The reference for <paramref name="FleetTrendWarm"/>, grouped in SQL.</param>
public sealed record HistoryBenchResult(
    int Components,
    int Days,
    double WindowIntervalSeconds,
    int ValuesPerWindow,
    long WindowsFed,
    long WindowsStored,
    long Dropped,
    long Failures,
    double FeedSeconds,
    double WindowsPerSecond,
    double TargetWindowsPerSecond,
    double ReferenceCopyRowsPerSecond,
    double MaintenanceSeconds,
    int DaysRolledUp,
    int DaysExported,
    HistoryBenchTier Hot,
    HistoryBenchTier Warm,
    HistoryBenchTier Cold,
    long MinuteRollups,
    long HourRollups,
    long DayRollups,
    double WarmMinuteBytesPerPoint,
    double WarmHourBytesPerPoint,
    double WarmDayBytesPerPoint,
    HistoryBenchLatency SingleTrend,
    HistoryBenchLatency FleetTrend,
    HistoryBenchLatency FleetTrendWarm,
    HistoryBenchLatency FleetTrendCold,
    HistoryBenchLatency FleetTrendGrouped,
    HistoryBenchLatency FleetTrendWarmGrouped);
