using System.Collections.Immutable;
using Orleans.Concurrency;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Security;

/// <summary>Serves <c>twin audit</c> and records entries for callers outside the silo's services.</summary>
[StatelessWorker]
public sealed class AuditGrain(IAuditLog log) : Grain, IAuditGrain
{
    public Task Record(AuditEntry entry) => log.RecordAsync(entry);

    public async Task<ImmutableArray<AuditEntry>> Query(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > 100_000)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"limit {query.Limit} must be between 1 and 100000");
        }

        return [.. await log.QueryAsync(query)];
    }
}
