using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// History queries (a stateless worker; any key): trends of condition features and telemetry channels, and twins as
/// they were. Bad input (a backwards range, a step too fine, an unknown name) is a <see cref="TwinOperationException"/>
/// with <see cref="TwinErrorCode.Invalid"/> naming what is wrong.
/// </summary>
[Alias("tc.IHistoryGrain")]
public interface IHistoryGrain : IGrainWithIntegerKey
{
    /// <summary>A bucketed trend, answered from the best tier for each part of the range.</summary>
    [Alias("Trend")]
    Task<HistoryTrend> Trend(HistoryTrendQuery query);

    /// <summary>The twin as it was at <paramref name="at"/> (its latest change at or before then); null if it did not exist.</summary>
    [Alias("AsOf")]
    Task<TwinSnapshot?> AsOf(string twinId, DateTimeOffset at);

    /// <summary>The twin's changes in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    [Alias("Changes")]
    Task<ImmutableArray<HistoryChange>> Changes(string twinId, DateTimeOffset from, DateTimeOffset to);

    /// <summary>The feature and channel names the history holds, sorted.</summary>
    [Alias("Names")]
    Task<ImmutableArray<string>> Names();
}
