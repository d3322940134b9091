using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// One change event on the change stream (<see cref="ChangeStreams"/>): a twin's health or a component's alert.
/// <see cref="Path"/> lists the twin's containers from the top down and the twin itself, so a watcher of a subtree
/// keeps the events whose path holds its root.
/// </summary>
/// <param name="Seq">Position in the change feed (set by the feed; 0 on the stream).</param>
/// <param name="Kind">What changed.</param>
/// <param name="TwinId">The twin.</param>
/// <param name="Path">Containers from the top down, ending with <paramref name="TwinId"/>.</param>
/// <param name="At">When the twin saw the change.</param>
/// <param name="Health">For <see cref="TwinChangeKind.Health"/>: the new health.</param>
/// <param name="Alert">For the alert kinds: the alert after the change.</param>
[GenerateSerializer, Immutable, Alias("tc.TwinChange")]
public sealed record TwinChange(
    [property: Id(0)] long Seq,
    [property: Id(1)] TwinChangeKind Kind,
    [property: Id(2)] string TwinId,
    [property: Id(3)] ImmutableArray<string> Path,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] TwinHealth? Health,
    [property: Id(6)] TwinAlert? Alert)
{
    /// <summary>True when the twin is <paramref name="rootId"/> or lies below it.</summary>
    public bool IsUnder(string rootId) => !Path.IsDefault && Path.Contains(rootId, StringComparer.Ordinal);
}
