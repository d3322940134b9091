using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// What a twin has applied of its telemetry: counts by how each message reached it, the last applied seq, the latest
/// reading per channel, and the distribution of the delay from acceptance by the ingress to application.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.TelemetryStatus")]
public sealed record TelemetryStatus
{
    /// <summary>Messages applied, each exactly once (live or from the log).</summary>
    [Id(0)] public long Applied { get; init; }

    /// <summary>The highest applied seq, or -1 when none was.</summary>
    [Id(1)] public long LastSeq { get; init; } = -1;

    /// <summary>Of <see cref="Applied"/>, how many were read from the log to fill a gap or catch up.</summary>
    [Id(2)] public long FilledFromLog { get; init; }

    /// <summary>Messages that reached the twin again and were ignored (seq already applied).</summary>
    [Id(3)] public long DuplicatesIgnored { get; init; }

    /// <summary>
    /// Sequence numbers given up on and still missing: not in the log when the gap timeout passed. One that arrives
    /// later after all is applied then (out of order) and leaves this count.
    /// </summary>
    [Id(4)] public long Skipped { get; init; }

    /// <summary>Samples applied over all channels.</summary>
    [Id(5)] public long Samples { get; init; }

    /// <summary>When the last message was applied, or null.</summary>
    [Id(6)] public DateTimeOffset? LastAppliedAt { get; init; }

    /// <summary>The latest reading per channel.</summary>
    [Id(7)] public ImmutableDictionary<string, TelemetryReading> Latest { get; init; } =
        ImmutableDictionary<string, TelemetryReading>.Empty;

    /// <summary>Delay from acceptance by the ingress to application in this grain, since activation (live messages only).</summary>
    [Id(8)] public LatencyHistogram ApplyDelay { get; init; } = LatencyHistogram.Empty;

    /// <summary>Delay from the message timestamp (the device clock) to application, since activation.</summary>
    [Id(9)] public LatencyHistogram EndToEndDelay { get; init; } = LatencyHistogram.Empty;

    /// <summary>Seqs the ingress refused (dead letters), which the twin moved past without waiting.</summary>
    [Id(10)] public long Refused { get; init; }

    /// <summary>For a monitored component after its first analysed window: its condition in words (diagnosis, zone, RUL).</summary>
    [Id(11)] public string? Condition { get; init; }

    /// <summary>For a monitored component: its health index, 1 healthy … 0 failed.</summary>
    [Id(12)] public double? Health { get; init; }

    /// <summary>For a monitored component: Normal, Warning or Alarm.</summary>
    [Id(13)] public string? Alert { get; init; }

    /// <summary>
    /// For a monitored component: CPU time spent in its condition monitor (buffering and analysing) since activation:
    /// the thread's CPU clock around each call on Linux, elapsed time (an upper bound) elsewhere.
    /// </summary>
    [Id(14)] public TimeSpan AnalysisTime { get; init; }

    /// <summary>For a monitored component: windows analysed since activation.</summary>
    [Id(15)] public long WindowsAnalysed { get; init; }
}

/// <summary>
/// The latest reading of a channel: the value of a scalar, or the RMS of a block (then <see cref="Samples"/> says how
/// many samples it summarises, and <see cref="SampleRateHz"/> the rate its message header gave, if any), at the time
/// of its first sample.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.TelemetryReading")]
public sealed record TelemetryReading(
    [property: Id(0)] double Value,
    [property: Id(1)] string? Unit,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] int Samples,
    [property: Id(4)] long Seq,
    [property: Id(5)] double? SampleRateHz = null);
