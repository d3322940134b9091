using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

/// <summary>
/// Which dead letters to list: optional filters by twin, reason and arrival time (inclusive), a page size, and the
/// <see cref="DeadLetterPage.Continuation"/> of the previous page (null for the first).
/// </summary>
public sealed record DeadLetterQuery(
    TwinId? TwinId = null,
    DeadLetterReason? Reason = null,
    DateTimeOffset? Since = null,
    int PageSize = 100,
    string? Continuation = null)
{
    /// <summary>The largest page a store returns.</summary>
    public const int MaxPageSize = 1000;

    internal int EffectivePageSize => Math.Clamp(PageSize, 1, MaxPageSize);
}
