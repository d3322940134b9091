using System.Collections.Concurrent;
using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Security;

/// <summary>
/// The one place that decides whether a principal may do something: the role (<see cref="SecurityRules"/>) and, for
/// a scoped principal, whether the twin lies in one of its subtrees (the twin itself or a twin that contains it,
/// from the twin's containment path, cached for <see cref="PathCacheDuration"/>). The HTTP API, the dashboard and
/// the change stream call it; none of them holds rules of their own.
/// </summary>
public sealed class AuthorizationService(IGrainFactory grains, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (ImmutableArray<string> Path, DateTimeOffset At)> _paths = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (FrozenSubtree Ids, DateTimeOffset At)> _subtrees = new(StringComparer.Ordinal);

    /// <summary>How long a twin's containment path is trusted (default 5 s: a twin moved out of a scope is out within it).</summary>
    public TimeSpan PathCacheDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>May read, query or watch <paramref name="twinId"/>.</summary>
    public ValueTask<bool> CanRead(Principal principal, string twinId) => Can(principal, SecurityOperation.Read, twinId);

    /// <summary>May create, patch or delete <paramref name="twinId"/> or its relationships, or send it commands.</summary>
    public ValueTask<bool> CanWrite(Principal principal, string twinId) => Can(principal, SecurityOperation.Write, twinId);

    /// <summary>May acknowledge <paramref name="twinId"/>'s alerts.</summary>
    public ValueTask<bool> CanAcknowledge(Principal principal, string twinId) => Can(principal, SecurityOperation.Acknowledge, twinId);

    /// <summary>May upload or remove models and import (fleet-wide: never for a scoped principal).</summary>
    public bool CanModel(Principal principal) => principal.IsUnscoped && SecurityRules.Allows(principal, SecurityOperation.Model);

    /// <summary>May manage tokens and devices and read the audit log (fleet-wide: never for a scoped principal).</summary>
    public bool CanAdmin(Principal principal) => principal.IsUnscoped && SecurityRules.Allows(principal, SecurityOperation.Admin);

    /// <summary>May do <paramref name="operation"/> on <paramref name="twinId"/>.</summary>
    public async ValueTask<bool> Can(Principal principal, SecurityOperation operation, string twinId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!SecurityRules.Allows(principal, operation))
        {
            return false;
        }

        if (SecurityRules.IsFleetWide(operation))
        {
            return principal.IsUnscoped;
        }

        if (principal.IsUnscoped)
        {
            return true;
        }

        if (TwinId.Check(twinId) is not null)
        {
            return false;
        }

        return principal.Scopes.Contains(twinId, StringComparer.Ordinal) || SecurityRules.InScope(principal, await PathOf(twinId));
    }

    /// <summary>
    /// The twins a principal may read, for filtering query results and change streams: null when it may read every
    /// twin, otherwise the union of its scopes' subtrees (cached like paths).
    /// </summary>
    public async ValueTask<IReadOnlySet<string>?> ReadableTwins(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!SecurityRules.Allows(principal, SecurityOperation.Read))
        {
            return new HashSet<string>();
        }

        if (principal.IsUnscoped)
        {
            return null;
        }

        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in principal.Scopes)
        {
            all.UnionWith((await SubtreeOf(scope)).Ids);
        }

        return all;
    }

    /// <summary>Forgets cached paths and subtrees (after a containment change this process made).</summary>
    public void Invalidate()
    {
        _paths.Clear();
        _subtrees.Clear();
    }

    private async ValueTask<ImmutableArray<string>> PathOf(string twinId)
    {
        var now = time.GetUtcNow();
        if (_paths.TryGetValue(twinId, out var cached) && now - cached.At < PathCacheDuration)
        {
            return cached.Path;
        }

        var path = await grains.GetTwin(new TwinId(twinId)).GetPath(0);
        if (_paths.Count > 100_000)
        {
            _paths.Clear();
        }

        _paths[twinId] = (path, now);
        return path;
    }

    private async ValueTask<FrozenSubtree> SubtreeOf(string scope)
    {
        var now = time.GetUtcNow();
        if (_subtrees.TryGetValue(scope, out var cached) && now - cached.At < PathCacheDuration)
        {
            return cached.Ids;
        }

        var ids = new FrozenSubtree([.. (await grains.GetQueries().Subtree(scope)).Select(e => e.TwinId).Append(scope)]);
        _subtrees[scope] = (ids, now);
        return ids;
    }

    private sealed record FrozenSubtree(ImmutableHashSet<string> Ids);
}
