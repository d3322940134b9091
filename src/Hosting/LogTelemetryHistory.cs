using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Telemetry;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;

namespace TwinCluster.Hosting;

/// <summary>The telemetry log as the twins read it to fill gaps and catch up.</summary>
public sealed class LogTelemetryHistory(ITelemetryLog log, TimeProvider time) : ITelemetryHistory
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<TelemetryRecord>> ReadAsync(string twinId, long fromSeq, long toSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // Paged by count, not by seq window: a long run of seqs that were never logged does not end the read early.
        var messages = await log.ReadAsync(new TwinId(twinId), fromSeq, toSeq, cancellationToken, limit);
        // Their acceptance time is not logged; "now" makes no claim about the live path's delay (log fills are not timed).
        var now = time.GetUtcNow();
        return messages.Select(m => TelemetryRecords.From(m, now)).ToList();
    }

    /// <inheritdoc />
    public Task<long?> LastSeqAsync(string twinId, CancellationToken cancellationToken) =>
        log.LastSeqAsync(new TwinId(twinId), cancellationToken);
}
