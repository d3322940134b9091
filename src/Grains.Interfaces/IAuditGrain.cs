using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>The audit log (a stateless worker in each silo over the silo's audit store: PostgreSQL, or memory).</summary>
[Alias("tc.IAuditGrain")]
public interface IAuditGrain : IGrainWithIntegerKey
{
    /// <summary>Records an entry.</summary>
    [Alias("Record")]
    Task Record(AuditEntry entry);

    /// <summary>Entries matching the query, newest first.</summary>
    [Alias("Query")]
    Task<ImmutableArray<AuditEntry>> Query(AuditQuery query);
}
