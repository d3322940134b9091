using System.Globalization;

namespace TwinCluster.Storage.History;

/// <summary>Names and ranges of the hot tier's daily partitions and the cold tier's files.</summary>
public static class HistoryPartitions
{
    /// <summary>The partitioned table of hot rows.</summary>
    public const string Table = "history_point";

    /// <summary>Partition names are this prefix and the day as yyyyMMdd.</summary>
    public const string Prefix = Table + "_p";

    /// <summary>Serialises partition DDL across processes ("TwinHist" as ASCII).</summary>
    public const long DdlLockId = 0x5477696E48697374;

    /// <summary>Held by the process running rollups, exports and retention ("TwinHMnt"), so two never race.</summary>
    public const long MaintenanceLockId = 0x5477696E484D6E74;

    /// <summary>The partition of a day.</summary>
    public static string NameOf(DateOnly day) => Prefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The day of a partition name; null for a table that is not one of ours.</summary>
    public static DateOnly? DayOf(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
        && DateOnly.TryParseExact(name[Prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;

    /// <summary>The UTC day of a time.</summary>
    public static DateOnly DayOf(DateTime timeUtc) => DateOnly.FromDateTime(timeUtc);

    /// <summary>Midnight UTC starting <paramref name="day"/>.</summary>
    public static DateTime Start(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The cold file of a day, relative to the cold directory: yyyy/MM/history_yyyyMMdd.parquet.</summary>
    public static string ColdFileOf(DateOnly day) => Path.Combine(
        day.ToString("yyyy", CultureInfo.InvariantCulture), day.ToString("MM", CultureInfo.InvariantCulture),
        $"history_{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.parquet");
}
