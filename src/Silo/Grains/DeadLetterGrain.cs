using System.Collections.Immutable;
using Orleans.Concurrency;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;

namespace TwinCluster.Silo.Grains;

/// <summary>Serves <c>twin deadletters</c> from this silo's dead-letter store (the PostgreSQL table, or memory).</summary>
[StatelessWorker]
public sealed class DeadLetterGrain(IDeadLetterStore store) : Grain, IDeadLetterGrain
{
    public async Task<DeadLetterListing> List(string? twinId, string? reason, int pageSize, string? continuation)
    {
        DeadLetterReason? parsedReason = null;
        if (reason is not null)
        {
            if (!DeadLetterReasonCodes.TryParse(reason, out var r))
            {
                throw new TwinOperationException(TwinErrorCode.Invalid,
                    $"reason '{reason}' is not one of: {string.Join(", ", DeadLetterReasonCodes.All.Select(x => x.ToCode()))}");
            }

            parsedReason = r;
        }

        TwinId? twin = null;
        if (twinId is not null)
        {
            if (TwinId.Check(twinId) is { } problem)
            {
                throw new TwinOperationException(TwinErrorCode.Invalid, problem);
            }

            twin = new TwinId(twinId);
        }

        var page = await store.ListAsync(new DeadLetterQuery(twin, parsedReason, null, pageSize, continuation));
        return new DeadLetterListing(
            [.. page.Items.Select(d => new DeadLetterEntry(d.ReceivedAt, d.Topic, d.TwinId?.Value, d.Reason.ToCode(), d.Message, d.Size, d.PayloadPrefix.ToArray()))],
            page.Continuation);
    }

    public async Task<ImmutableDictionary<string, long>> CountByReason() =>
        (await store.CountByReasonAsync()).ToImmutableDictionary(p => p.Key.ToCode(), p => p.Value, StringComparer.Ordinal);
}
