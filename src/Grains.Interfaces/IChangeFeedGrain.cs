namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The cluster's change feed (key <see cref="ChangeStreams.Key"/>): the recent <see cref="TwinChange"/> events from
/// the change stream, numbered, for readers that poll with a cursor (<c>twin watch</c>). Kept in memory: a restart
/// starts a new epoch, which readers see.
/// </summary>
[Alias("tc.IChangeFeedGrain")]
public interface IChangeFeedGrain : IGrainWithStringKey
{
    /// <summary>
    /// Events after <paramref name="after"/> (0 for everything kept), at most <paramref name="max"/>; waits up to
    /// <paramref name="wait"/> (at most 20 s) for the first one when there are none yet. Pass -1 to start at the
    /// newest event (nothing old). Pass the <see cref="ChangePage.Epoch"/> of the last page read (or
    /// <see cref="Guid.Empty"/>): when the feed has restarted since, the cursor is meaningless and reading starts
    /// over from what the new feed keeps.
    /// </summary>
    [Alias("Read"), Orleans.Concurrency.AlwaysInterleave]
    Task<ChangePage> Read(Guid epoch, long after, int max, TimeSpan wait);
}
