using System.Collections.Immutable;

namespace TwinCluster.Grains.Health;

/// <summary>
/// A twin's path from the top of its containment chain down to itself, as its container last told it, kept for
/// <see cref="Ttl"/> so that health reports and change events do not walk the chain each time. Containment is kept
/// acyclic when relationships are added; a path that already holds the twin would loop and is cut to the twin alone.
/// </summary>
public sealed class ContainmentPath(string twinId, TimeProvider time)
{
    /// <summary>How far up the chain a path is asked for.</summary>
    public const int MaxHops = 256;

    /// <summary>How long a path is used before the container is asked again.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    private ImmutableArray<string> _path;
    private DateTimeOffset _at;

    /// <summary>The path held (default when none).</summary>
    public ImmutableArray<string> Current => _path;

    /// <summary>Whether the path must be asked of <paramref name="parentId"/>: none held, too old, or through another container.</summary>
    public bool Stale(string parentId) =>
        _path.IsDefault || _path.Length < 2 || time.GetUtcNow() - _at > Ttl || _path[^2] != parentId;

    /// <summary>The container's path (<paramref name="above"/>) with this twin added.</summary>
    public void Set(ImmutableArray<string> above)
    {
        _path = above.Contains(twinId, StringComparer.Ordinal) ? [twinId] : above.Add(twinId);
        _at = time.GetUtcNow();
    }

    /// <summary>Forgets the path (the container changed).</summary>
    public void Reset() => _path = default;
}
