using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

/// <summary>
/// The telemetry log the ingress writes accepted messages to before it acknowledges them, and twins read to fill
/// gaps. Keyed by (twin, seq): appending a message that is already logged is a no-op.
/// </summary>
public interface ITelemetryLog
{
    /// <summary>True when an appended message survives a process crash (PostgreSQL); false for the in-memory log.</summary>
    bool IsDurable { get; }

    /// <summary>
    /// Appends a batch, all or nothing. Messages whose (twin, seq) is already logged, or repeated within the batch,
    /// are skipped.
    /// </summary>
    /// <returns>How many messages were new.</returns>
    async Task<int> AppendAsync(IReadOnlyList<TelemetryMessage> batch, CancellationToken cancellationToken = default) =>
        (await AppendNewAsync(batch, cancellationToken)).Count;

    /// <summary>
    /// Appends a batch, all or nothing, like <see cref="AppendAsync"/>, and returns the messages that were new (in
    /// batch order); the others were logged before (a redelivery or a device repeating a seq).
    /// </summary>
    Task<IReadOnlyList<TelemetryMessage>> AppendNewAsync(IReadOnlyList<TelemetryMessage> batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The logged messages of <paramref name="twinId"/> with seq in the inclusive range, in seq order: the first
    /// <paramref name="limit"/> of them.
    /// </summary>
    Task<IReadOnlyList<TelemetryMessage>> ReadAsync(
        TwinId twinId, long fromSeqInclusive, long toSeqInclusive, CancellationToken cancellationToken = default, int limit = int.MaxValue);

    /// <summary>The highest logged seq of <paramref name="twinId"/>, or null when none is logged.</summary>
    Task<long?> LastSeqAsync(TwinId twinId, CancellationToken cancellationToken = default);
}
