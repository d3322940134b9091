using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

/// <summary>
/// One rejected message: when it arrived, its topic, the twin when the topic named a valid one, why it was rejected,
/// a human-readable detail, the first bytes of the payload (at most <see cref="MaxPrefixBytes"/>) and its full size.
/// </summary>
public sealed record DeadLetter(
    DateTimeOffset ReceivedAt,
    string Topic,
    TwinId? TwinId,
    DeadLetterReason Reason,
    string Message,
    ReadOnlyMemory<byte> PayloadPrefix,
    int Size)
{
    /// <summary>The most payload bytes a dead letter keeps.</summary>
    public const int MaxPrefixBytes = 1024;

    /// <summary>A dead letter for <paramref name="payload"/>, keeping its first <see cref="MaxPrefixBytes"/> bytes.</summary>
    public static DeadLetter Of(DateTimeOffset receivedAt, string topic, TwinId? twinId, DeadLetterReason reason,
        string message, ReadOnlySpan<byte> payload) =>
        new(receivedAt, topic, twinId, reason, message, payload[..Math.Min(payload.Length, MaxPrefixBytes)].ToArray(),
            payload.Length);

    // The stores keep at most MaxPrefixBytes even when a caller built the record by hand.
    internal byte[] StoredPrefix() => PayloadPrefix.Span[..Math.Min(PayloadPrefix.Length, MaxPrefixBytes)].ToArray();
}
