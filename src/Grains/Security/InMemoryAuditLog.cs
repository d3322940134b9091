using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Security;

/// <summary>The embedded default's audit log: the newest <see cref="Capacity"/> entries in memory. Not durable.</summary>
public sealed class InMemoryAuditLog(int capacity = 100_000) : IAuditLog
{
    private readonly Lock _lock = new();
    private readonly LinkedList<AuditEntry> _entries = new();

    /// <summary>The most entries kept; older ones are dropped.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <inheritdoc />
    public bool IsDurable => false;

    /// <inheritdoc />
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            _entries.AddLast(entry);
            if (_entries.Count > Capacity)
            {
                _entries.RemoveFirst();
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            IReadOnlyList<AuditEntry> found = _entries.Reverse()
                .Where(e => (query.TwinId is null || e.TwinId == query.TwinId)
                    && (query.Principal is null || e.Principal == query.Principal)
                    && (query.Since is null || e.Time >= query.Since))
                .OrderByDescending(e => e.Time)
                .Take(Math.Clamp(query.Limit, 1, 100_000))
                .ToList();
            return Task.FromResult(found);
        }
    }
}
