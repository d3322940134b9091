using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Telemetry;

/// <summary>
/// The telemetry log as the twins see it: where a twin fills a gap in its live stream and catches up after a crash.
/// The silo adapts the ingress's log to it; without one (<see cref="NoTelemetryHistory"/>) twins apply only what
/// arrives live.
/// </summary>
public interface ITelemetryHistory
{
    /// <summary>The logged records of <paramref name="twinId"/> with seq in the inclusive range, in seq order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TelemetryRecord>> ReadAsync(string twinId, long fromSeq, long toSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The highest logged seq of <paramref name="twinId"/>, or null when none is logged.</summary>
    Task<long?> LastSeqAsync(string twinId, CancellationToken cancellationToken);
}

/// <summary>No log: nothing to fill from.</summary>
public sealed class NoTelemetryHistory : ITelemetryHistory
{
    /// <inheritdoc />
    public Task<IReadOnlyList<TelemetryRecord>> ReadAsync(string twinId, long fromSeq, long toSeq, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TelemetryRecord>>([]);

    /// <inheritdoc />
    public Task<long?> LastSeqAsync(string twinId, CancellationToken cancellationToken) => Task.FromResult<long?>(null);
}
