using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// What <see cref="IChangeFeedGrain.Read"/> returns: the events after the cursor, the cursor to pass next, and
/// whether events were missed (the cursor was older than what the feed keeps, or the feed restarted).
/// </summary>
/// <param name="Epoch">Identifies the feed's activation; a different epoch than the last read means a restart.</param>
/// <param name="Events">Events in order.</param>
/// <param name="Next">The cursor for the next read (the last event's seq, or the cursor given).</param>
/// <param name="Missed">How many events between the cursor and the first returned are no longer kept.</param>
[GenerateSerializer, Immutable, Alias("tc.ChangePage")]
public sealed record ChangePage(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] ImmutableArray<TwinChange> Events,
    [property: Id(2)] long Next,
    [property: Id(3)] long Missed);
