using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Telemetry;

namespace TwinCluster.Grains.Tests.Engines;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>A telemetry log in a list, as the twins read it.</summary>
internal sealed class ListHistory : ITelemetryHistory
{
    public List<TelemetryRecord> Records { get; } = [];

    public int Reads { get; private set; }

    public Task<IReadOnlyList<TelemetryRecord>> ReadAsync(string twinId, long fromSeq, long toSeq, int limit, CancellationToken cancellationToken)
    {
        Reads++;
        return Task.FromResult<IReadOnlyList<TelemetryRecord>>(
            [.. Records.Where(r => r.Seq >= fromSeq && r.Seq <= toSeq).OrderBy(r => r.Seq).Take(limit)]);
    }

    public Task<long?> LastSeqAsync(string twinId, CancellationToken cancellationToken) =>
        Task.FromResult(Records.Count == 0 ? null : (long?)Records.Max(r => r.Seq));
}

internal static class EngineParts
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static TwinMetrics TwinMetrics { get; } = new(Meters);

    public static TelemetryMetrics TelemetryMetrics { get; } = new(Meters);

    /// <summary>A record of one scalar channel <c>temperature</c> (value = seq) and a two-sample block <c>vibration</c>.</summary>
    public static TelemetryRecord Record(long seq, DateTimeOffset? at = null) =>
        new(seq, (at ?? T0).UtcDateTime.AddSeconds(seq), null, (at ?? T0).UtcDateTime.AddSeconds(seq),
            [new TelemetryValue("temperature", "degreeCelsius", seq, null), new TelemetryValue("vibration", "gForce", 0, [3f, -4f])]);

    public static TelemetryBatch Batch(string twin, params long[] seqs) => new(twin, [.. seqs.Select(s => Record(s))]);
}
