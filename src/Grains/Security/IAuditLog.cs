using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Security;

/// <summary>Where audit entries are kept: PostgreSQL (durable) or memory (the embedded default).</summary>
public interface IAuditLog
{
    /// <summary>True when entries survive a restart.</summary>
    bool IsDurable { get; }

    /// <summary>Records an entry; returns once it is stored.</summary>
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries matching <paramref name="query"/>, newest first, at most its limit.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
