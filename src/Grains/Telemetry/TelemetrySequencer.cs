using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Telemetry;

/// <summary>
/// Puts a twin's telemetry in seq order and applies each seq once. Records arrive live (possibly out of order when
/// several ingress processes share the load, possibly again after a redelivery) and from the log; a record is
/// released only when every lower seq since the last applied one has been released, or given up on
/// (<see cref="SkipGap"/>). Pure and single-threaded: the twin grain owns one.
/// </summary>
public sealed class TelemetrySequencer
{
    private readonly SortedDictionary<long, TelemetryRecord> _pending = [];
    private readonly int _maxPending;

    /// <summary>Starts after <paramref name="lastApplied"/> (-1: nothing applied yet).</summary>
    public TelemetrySequencer(long lastApplied, int maxPending = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lastApplied, -1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        LastApplied = lastApplied;
        _maxPending = maxPending;
    }

    /// <summary>The highest seq released, or -1.</summary>
    public long LastApplied { get; private set; }

    /// <summary>Records held back behind a gap.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// The missing range (inclusive) that holds records back, or null when nothing waits. With nothing applied yet,
    /// the range starts at 0: lower seqs may still be in the log.
    /// </summary>
    public (long From, long To)? Gap
    {
        get
        {
            if (_pending.Count == 0)
            {
                return null;
            }

            var first = First();
            return first > LastApplied + 1 ? (LastApplied + 1, first - 1) : null;
        }
    }

    /// <summary>
    /// Takes one record. Returns false when it is a duplicate (its seq was applied or is already waiting); otherwise
    /// adds it and moves every record that is now in order to <paramref name="ready"/>. With nothing applied yet,
    /// the first record waits (the caller looks for lower seqs in the log, then calls <see cref="SkipGap"/>).
    /// </summary>
    public bool Offer(TelemetryRecord record, List<TelemetryRecord> ready)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(ready);
        if (record.Seq <= LastApplied || _pending.ContainsKey(record.Seq))
        {
            return false;
        }

        _pending.Add(record.Seq, record);
        Drain(ready);
        if (_pending.Count > _maxPending)
        {
            // Bounded memory: a gap that holds back this much is given up on now rather than later.
            SkipGap(ready);
        }

        return true;
    }

    /// <summary>
    /// Gives up on the current gap: the lowest waiting record is released as if every seq before it had been
    /// applied, and whatever follows in order with it. Returns how many seqs were skipped.
    /// </summary>
    public long SkipGap(List<TelemetryRecord> ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (_pending.Count == 0)
        {
            return 0;
        }

        var first = First();
        // From nothing applied, starting at the first seq that exists is not a loss.
        var skipped = LastApplied < 0 ? 0 : first - LastApplied - 1;
        LastApplied = first - 1;
        Drain(ready);
        return skipped;
    }

    private void Drain(List<TelemetryRecord> ready)
    {
        while (_pending.Count > 0)
        {
            var first = First();
            if (first != LastApplied + 1)
            {
                return;
            }

            ready.Add(_pending[first]);
            _pending.Remove(first);
            LastApplied = first;
        }
    }

    private long First()
    {
        using var e = _pending.Keys.GetEnumerator();
        e.MoveNext();
        return e.Current;
    }
}
