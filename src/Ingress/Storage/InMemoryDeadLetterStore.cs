using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

/// <summary>
/// The embedded default's dead-letter store: the newest <see cref="Capacity"/> dead letters in memory (older ones
/// are dropped), with the same listing and counting as <see cref="PostgresDeadLetterStore"/>. Not durable.
/// </summary>
public sealed class InMemoryDeadLetterStore : IDeadLetterStore
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(long Id, DeadLetter Letter)> _letters = new();
    private long _nextId;

    /// <summary>Keeps at most <paramref name="capacity"/> dead letters.</summary>
    public InMemoryDeadLetterStore(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    /// <summary>The most dead letters kept; adding more drops the oldest added.</summary>
    public int Capacity { get; }

    /// <inheritdoc />
    public Task AddAsync(IReadOnlyList<DeadLetter> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var letter in batch)
        {
            ArgumentNullException.ThrowIfNull(letter);
        }

        lock (_lock)
        {
            foreach (var letter in batch)
            {
                var stored = letter with { PayloadPrefix = letter.StoredPrefix() };
                _letters.AddLast((++_nextId, stored));
                if (_letters.Count > Capacity)
                {
                    _letters.RemoveFirst();
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var cursor = DeadLetterCursor.Parse(query.Continuation);
        var pageSize = query.EffectivePageSize;
        List<(long Id, DeadLetter Letter)> matching;
        lock (_lock)
        {
            matching = _letters
                .Where(e => (query.TwinId is null || e.Letter.TwinId == query.TwinId)
                    && (query.Reason is null || e.Letter.Reason == query.Reason)
                    && (query.Since is null || e.Letter.ReceivedAt >= query.Since)
                    && (cursor is not { } after || after.IsAfter(e.Letter.ReceivedAt.UtcTicks, e.Id)))
                .OrderByDescending(e => e.Letter.ReceivedAt.UtcTicks)
                .ThenByDescending(e => e.Id)
                .Take(pageSize + 1)
                .ToList();
        }

        var page = matching.Take(pageSize).ToList();
        var continuation = matching.Count > pageSize
            ? new DeadLetterCursor(page[^1].Letter.ReceivedAt.UtcTicks, page[^1].Id).ToString()
            : null;
        return Task.FromResult(new DeadLetterPage(page.Select(e => e.Letter).ToList(), continuation));
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<DeadLetterReason, long>> CountByReasonAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyDictionary<DeadLetterReason, long> counts = _letters
                .GroupBy(e => e.Letter.Reason)
                .ToDictionary(g => g.Key, g => (long)g.LongCount());
            return Task.FromResult(counts);
        }
    }
}
