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
    private const int MaxSkippedRanges = 256;

    private readonly SortedDictionary<long, TelemetryRecord> _pending = [];
    // Gaps given up on, oldest first: a record that arrives late into one is still applied (once).
    private readonly List<(long From, long To)> _skipped = [];
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

    /// <summary>The highest seq applied or waiting.</summary>
    public long HighestKnown => _pending.Count > 0 ? _pending.Keys.Max() : LastApplied;

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

    /// <summary>How many seqs were given up on and then arrived after all (applied late, out of order).</summary>
    public long LateArrivals { get; private set; }

    /// <summary>
    /// Takes one record. Returns false when it is a duplicate (its seq was applied or is already waiting); otherwise
    /// adds it and moves every record that is now in order to <paramref name="ready"/>. A record whose seq was given
    /// up on (<see cref="SkipGap"/>) goes to <paramref name="ready"/> at once, late. With nothing applied yet, the
    /// first record waits (the caller looks for lower seqs in the log, then calls <see cref="SkipGap"/>).
    /// </summary>
    public bool Offer(TelemetryRecord record, List<TelemetryRecord> ready)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(ready);
        if (record.Seq <= LastApplied)
        {
            if (!TakeSkipped(record.Seq))
            {
                return false;
            }

            LateArrivals++;
            ready.Add(record);
            return true;
        }

        if (_pending.ContainsKey(record.Seq))
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
        if (skipped > 0)
        {
            _skipped.Add((LastApplied + 1, first - 1));
            if (_skipped.Count > MaxSkippedRanges)
            {
                _skipped.RemoveAt(0);
            }
        }

        LastApplied = first - 1;
        Drain(ready);
        return skipped;
    }

    /// <summary>
    /// Remembers <paramref name="seq"/> as given up on (a refused message), so that if the device sends it again
    /// and it is accepted, it is applied late rather than taken for a duplicate.
    /// </summary>
    public void MarkSkipped(long seq)
    {
        _skipped.Add((seq, seq));
        if (_skipped.Count > MaxSkippedRanges)
        {
            _skipped.RemoveAt(0);
        }
    }

    private bool TakeSkipped(long seq)
    {
        for (var i = _skipped.Count - 1; i >= 0; i--)
        {
            var (from, to) = _skipped[i];
            if (seq < from || seq > to)
            {
                continue;
            }

            _skipped.RemoveAt(i);
            if (from < seq)
            {
                _skipped.Insert(i, (from, seq - 1));
            }

            if (seq < to)
            {
                _skipped.Insert(from < seq ? i + 1 : i, (seq + 1, to));
            }

            return true;
        }

        return false;
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
