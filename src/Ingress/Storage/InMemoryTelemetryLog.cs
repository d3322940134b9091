using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

/// <summary>
/// The embedded default's telemetry log: bounded, in memory, not durable (<see cref="IsDurable"/> is false; a restart
/// loses it). A twin keeps its newest <see cref="MaxPerTwin"/> messages by seq, and all twins together at most
/// <see cref="MaxTotal"/>, the oldest appended dropped first. Otherwise it behaves like <see cref="PostgresTelemetryLog"/>.
/// </summary>
public sealed class InMemoryTelemetryLog : ITelemetryLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TwinId, SortedDictionary<long, TelemetryMessage>> _twins = [];
    // Append order for the total cap; entries already dropped by the per-twin cap are skipped, and compacted away.
    private readonly Queue<(TwinId Twin, long Seq)> _order = new();
    private int _count;

    /// <summary>Keeps at most <paramref name="maxPerTwin"/> messages per twin and <paramref name="maxTotal"/> in all.</summary>
    public InMemoryTelemetryLog(int maxPerTwin = 1_000, int maxTotal = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerTwin);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTotal);
        MaxPerTwin = maxPerTwin;
        MaxTotal = maxTotal;
    }

    /// <summary>The most messages kept per twin.</summary>
    public int MaxPerTwin { get; }

    /// <summary>The most messages kept over all twins.</summary>
    public int MaxTotal { get; }

    /// <summary>How many messages are held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <inheritdoc />
    public bool IsDurable => false;

    /// <inheritdoc cref="ITelemetryLog.AppendAsync" />
    public async Task<int> AppendAsync(IReadOnlyList<TelemetryMessage> batch, CancellationToken cancellationToken = default) =>
        (await AppendNewAsync(batch, cancellationToken)).Count;

    /// <inheritdoc />
    public Task<IReadOnlyList<TelemetryMessage>> AppendNewAsync(IReadOnlyList<TelemetryMessage> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var message in batch)
        {
            ArgumentNullException.ThrowIfNull(message);
        }

        var added = new List<TelemetryMessage>(batch.Count);
        lock (_lock)
        {
            foreach (var message in batch)
            {
                if (!_twins.TryGetValue(message.TwinId, out var log))
                {
                    log = [];
                    _twins.Add(message.TwinId, log);
                }

                if (log.ContainsKey(message.Seq))
                {
                    continue;
                }

                if (log.Count >= MaxPerTwin && message.Seq < log.Keys.First())
                {
                    // New, but older than everything a full twin keeps: it would be dropped at once. It counts as
                    // new (it was never seen), it is just not kept.
                    added.Add(message);
                    continue;
                }

                log.Add(message.Seq, message);
                _order.Enqueue((message.TwinId, message.Seq));
                _count++;
                added.Add(message);
                if (log.Count > MaxPerTwin)
                {
                    Remove(message.TwinId, log, log.Keys.First());
                }

                while (_count > MaxTotal)
                {
                    var (twin, seq) = _order.Dequeue();
                    if (_twins.TryGetValue(twin, out var oldest) && oldest.ContainsKey(seq))
                    {
                        Remove(twin, oldest, seq);
                    }
                }
            }

            if (_order.Count > 2 * _count + 1024)
            {
                Compact();
            }
        }

        return Task.FromResult<IReadOnlyList<TelemetryMessage>>(added);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TelemetryMessage>> ReadAsync(
        TwinId twinId, long fromSeqInclusive, long toSeqInclusive, CancellationToken cancellationToken = default, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            IReadOnlyList<TelemetryMessage> messages = _twins.TryGetValue(twinId, out var log)
                ? log.Where(p => p.Key >= fromSeqInclusive && p.Key <= toSeqInclusive).Take(limit).Select(p => p.Value).ToList()
                : [];
            return Task.FromResult(messages);
        }
    }

    /// <inheritdoc />
    public Task<long?> LastSeqAsync(TwinId twinId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_twins.TryGetValue(twinId, out var log) && log.Count > 0 ? log.Keys.Max() : (long?)null);
        }
    }

    private void Remove(TwinId twin, SortedDictionary<long, TelemetryMessage> log, long seq)
    {
        log.Remove(seq);
        _count--;
        if (log.Count == 0)
        {
            _twins.Remove(twin);
        }
    }

    private void Compact()
    {
        var live = _order.Where(e => _twins.TryGetValue(e.Twin, out var log) && log.ContainsKey(e.Seq)).ToList();
        _order.Clear();
        foreach (var entry in live)
        {
            _order.Enqueue(entry);
        }
    }
}
