using TwinCluster.Wire;

namespace TwinCluster.Ingress.Admission;

/// <summary>
/// The last applied <c>seq</c> per twin, and the verdict on an incoming one (new, duplicate, or a gap to fill).
/// Pure and not thread-safe: a grain owns one for its twin, the ingress one per partition it serves.
/// </summary>
/// <remarks>
/// Only the highest applied number is kept, so a number at or below it counts as a duplicate. Gap fills must be
/// applied in order from the log before later live messages, which is how the consumers replay.
/// </remarks>
public sealed class SequenceTracker
{
    private readonly Dictionary<TwinId, long> _lastApplied = [];

    /// <summary>How many twins have an applied sequence number.</summary>
    public int Count => _lastApplied.Count;

    /// <summary>The last applied sequence number of <paramref name="twinId"/>, or null when none was.</summary>
    public long? LastApplied(TwinId twinId) => _lastApplied.TryGetValue(twinId, out var last) ? last : null;

    /// <summary>Classifies <paramref name="seq"/> for <paramref name="twinId"/> without recording it.</summary>
    public SequenceClassification Classify(TwinId twinId, long seq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        if (!_lastApplied.TryGetValue(twinId, out var last))
        {
            return new SequenceClassification(SequenceVerdict.New);
        }

        if (seq <= last)
        {
            return new SequenceClassification(SequenceVerdict.Duplicate);
        }

        return seq == last + 1
            ? new SequenceClassification(SequenceVerdict.New)
            : new SequenceClassification(SequenceVerdict.Gap, last + 1, seq - 1);
    }

    /// <summary>Records <paramref name="seq"/> as applied; a lower number than the last applied is ignored.</summary>
    public void MarkApplied(TwinId twinId, long seq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        if (!_lastApplied.TryGetValue(twinId, out var last) || seq > last)
        {
            _lastApplied[twinId] = seq;
        }
    }

    /// <summary>
    /// Classifies and, unless it is a duplicate, records <paramref name="seq"/>. Returns a
    /// <see cref="DeadLetterReason.DuplicateSeq"/> rejection for a duplicate, otherwise null. For consumers that
    /// apply a message as they receive it (the grains); the ingress records only after the durable log write
    /// (see <see cref="TelemetryAdmission"/>).
    /// </summary>
    public Rejection? Admit(TwinId twinId, long seq, out SequenceClassification classification)
    {
        classification = Classify(twinId, seq);
        if (classification.Verdict == SequenceVerdict.Duplicate)
        {
            return new Rejection(DeadLetterReason.DuplicateSeq,
                $"seq {seq} of twin '{twinId.Value}' was already applied (last applied: {_lastApplied[twinId]})");
        }

        _lastApplied[twinId] = seq;
        return null;
    }

    /// <summary>Forgets a twin (e.g. when it is deleted).</summary>
    public bool Forget(TwinId twinId) => _lastApplied.Remove(twinId);
}
