namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// Told when a watched component has analysed new windows (see <see cref="ITwinGrain.WatchCondition"/>), so a page
/// showing its condition reads <see cref="ITwinGrain.GetConditionView"/> only when there is something new, instead of
/// asking on a timer. One-way: a slow or gone watcher never holds the twin up. One-way calls may arrive out of order;
/// the count only grows, so the largest one heard is the latest.
/// </summary>
[Alias("tc.IConditionWatcher")]
public interface IConditionWatcher : IGrainObserver
{
    /// <summary><paramref name="twinId"/> has now analysed <paramref name="windowsAnalysed"/> windows since its activation began counting.</summary>
    [Alias("Analysed"), Orleans.Concurrency.OneWay]
    Task Analysed(string twinId, long windowsAnalysed);
}
