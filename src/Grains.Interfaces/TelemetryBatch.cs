using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// Names of the telemetry stream: the ingress publishes each twin's accepted messages on the stream
/// (<see cref="Namespace"/>, twin id) of provider <see cref="Provider"/>; the twin grain is implicitly subscribed.
/// </summary>
public static class TelemetryStreams
{
    /// <summary>The stream provider name (memory streams).</summary>
    public const string Provider = "telemetry";

    /// <summary>The stream namespace; the stream key is the twin id.</summary>
    public const string Namespace = "tc.telemetry";
}

/// <summary>
/// Accepted telemetry of one twin, as it travels from the ingress to the twin grain: the messages of one ingress
/// batch, in seq order. Every message in it is already in the telemetry log.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.TelemetryBatch")]
public sealed record TelemetryBatch(
    [property: Id(0)] string TwinId,
    [property: Id(1)] ImmutableArray<TelemetryRecord> Records);

/// <summary>
/// One accepted telemetry message: its seq, the time of its first sample, the sample rate of its block channels,
/// when the ingress accepted it, and its channels.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.TelemetryRecord")]
public sealed record TelemetryRecord(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTime TimestampUtc,
    [property: Id(2)] double? SampleRateHz,
    [property: Id(3)] DateTime AcceptedAtUtc,
    [property: Id(4)] ImmutableArray<TelemetryValue> Channels)
{
    /// <summary>
    /// True for a marker, not a message: the device used this seq for a message the ingress refused (it is a dead
    /// letter), so the twin moves past it instead of waiting for it. It has no channels and is not applied.
    /// </summary>
    [Id(5)] public bool Refused { get; init; }

    /// <summary>The marker for a refused seq.</summary>
    public static TelemetryRecord RefusedMarker(long seq, DateTime acceptedAtUtc) =>
        new(seq, acceptedAtUtc, null, acceptedAtUtc, []) { Refused = true };

    /// <summary>The total number of samples over all channels.</summary>
    public int SampleCount
    {
        get
        {
            var total = 0;
            foreach (var channel in Channels)
            {
                total += channel.Count;
            }

            return total;
        }
    }
}

/// <summary>
/// One channel of a record: a scalar reading (<see cref="Samples"/> null, the number in <see cref="Value"/>) or a
/// block of samples, carried as float32 (the precision of the binary wire format; the log keeps JSON blocks at full
/// precision).
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.TelemetryValue")]
public sealed record TelemetryValue(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Unit,
    [property: Id(2)] double Value,
    [property: Id(3)] float[]? Samples)
{
    /// <summary>True when the channel is one reading rather than a block.</summary>
    public bool IsScalar => Samples is null;

    /// <summary>How many samples the channel holds (1 for a scalar).</summary>
    public int Count => Samples?.Length ?? 1;
}
