using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History.Bench;

/// <summary>Settings of <see cref="HistoryBench"/>.</summary>
public sealed record HistoryBenchOptions
{
    /// <summary>Monitored components fed (default 1,000).</summary>
    public int Components { get; init; } = 1000;

    /// <summary>Simulated days fed (default 30, the hot retention the issue asks about).</summary>
    public int Days { get; init; } = 30;

    /// <summary>
    /// Simulated time between two windows of one component (default 10 min). A twin analyses about two windows a second;
    /// 30 days of that for 1,000 components would be 5 billion rows, so time is compressed to one window in 10 minutes:
    /// 144 a day, 4.32 M rows, every hour and day bucket still holds several windows. At least 1 min (so a minute rollup
    /// holds one window) and a whole fraction of a day.
    /// </summary>
    public TimeSpan WindowInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Days kept hot at the end (default 20): the older days are exported to the cold tier, so all three hold some.</summary>
    public int HotDays { get; init; } = 20;

    /// <summary>Energy bands per window (the analyzer's default is 4).</summary>
    public int Bands { get; init; } = 4;

    /// <summary>Simulated midnight (UTC) the feed starts at.</summary>
    public DateTime StartUtc { get; init; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Where the cold files go; null: a temporary directory, deleted at the end.</summary>
    public string? ColdDirectory { get; init; }

    /// <summary>Timed 30-day hourly trends of one component (each of a random component).</summary>
    public int SingleTrendRuns { get; init; } = 200;

    /// <summary>Timed 24-hour trends of one feature for all components.</summary>
    public int FleetTrendRuns { get; init; } = 20;

    /// <summary>Prefix of the components' twin ids.</summary>
    public string Prefix { get; init; } = "hb";

    /// <summary>Windows of one component per day.</summary>
    public int WindowsPerDay => (int)(TimeSpan.TicksPerDay / WindowInterval.Ticks);

    /// <summary>
    /// True for the components that degrade over the run (every 20th, from the first): their health falls and they have
    /// a remaining-life estimate; the others' three RUL values are NaN (no trend), as in a healthy fleet.
    /// </summary>
    public static bool IsDegrading(int component) => component % 20 == 0;

    /// <summary>The problems with these settings, each naming its setting; empty when all is well.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Components is < 1 or > HistoryTrendQuery.MaxTwins)
        {
            problems.Add($"--components must be between 1 and {HistoryTrendQuery.MaxTwins:N0} (is {Components})");
        }

        if (Days is < 2 or > 366)
        {
            problems.Add($"--days must be between 2 and 366 (is {Days}): one day stays open, at least one is rolled up");
        }

        if (HotDays < 1 || HotDays >= Days)
        {
            problems.Add($"--hot-days must be at least 1 and less than --days ({Days}) so some days go cold (is {HotDays})");
        }

        if (WindowInterval < TimeSpan.FromMinutes(1) || WindowInterval > TimeSpan.FromHours(1) || TimeSpan.TicksPerDay % WindowInterval.Ticks != 0)
        {
            problems.Add($"--interval must be between 1 min and 1 h and divide a day evenly (is {HistorySteps.Format(WindowInterval)})");
        }

        if (Bands is < 0 or > 64)
        {
            problems.Add($"bands must be between 0 and 64 (is {Bands})");
        }

        if (SingleTrendRuns < 1 || FleetTrendRuns < 1)
        {
            problems.Add("--single-runs and --fleet-runs must be at least 1");
        }

        if (StartUtc.Kind != DateTimeKind.Utc || StartUtc.TimeOfDay != TimeSpan.Zero)
        {
            problems.Add($"the start must be a UTC midnight (is {StartUtc:O})");
        }

        return problems;
    }
}
