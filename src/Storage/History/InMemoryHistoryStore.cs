using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History;

/// <summary>
/// The embedded default's history: the latest <see cref="HistoryOptions.MemoryRowsPerTwin"/> rows and
/// <see cref="HistoryOptions.MemoryChangesPerTwin"/> changes of each twin, in memory, lost when the process stops.
/// </summary>
public sealed class InMemoryHistoryStore(HistoryOptions options) : IHistoryStore
{
    private readonly Dictionary<string, TwinRows> _twins = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public string Description =>
        $"History in memory, NOT DURABLE: the latest {options.MemoryRowsPerTwin:N0} rows (analysed windows and telemetry records) and {options.MemoryChangesPerTwin:N0} changes per twin; set ConnectionStrings__TwinCluster for hot, warm and cold history in PostgreSQL";

    /// <inheritdoc />
    public Task<int> WriteAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var added = 0;
        lock (_lock)
        {
            foreach (var record in records)
            {
                var twin = Twin(record.TwinId);
                if (!twin.Keys.Add((record.Source, record.TimeUtc.Ticks, record.Names.Length > 0 ? record.Names[0] : "")))
                {
                    continue;
                }

                twin.Rows.Enqueue(record);
                added++;
                foreach (var name in record.Names)
                {
                    _names.Add(name);
                }

                while (twin.Rows.Count > options.MemoryRowsPerTwin)
                {
                    var old = twin.Rows.Dequeue();
                    twin.Keys.Remove((old.Source, old.TimeUtc.Ticks, old.Names.Length > 0 ? old.Names[0] : ""));
                }
            }
        }

        return Task.FromResult(added);
    }

    /// <inheritdoc />
    public Task WriteChangesAsync(IReadOnlyList<HistoryChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_lock)
        {
            foreach (var change in changes)
            {
                var twin = Twin(change.TwinId);
                twin.Changes.Add(change);
                if (twin.Changes.Count > options.MemoryChangesPerTwin)
                {
                    twin.Changes.RemoveAt(0);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<HistoryTrend> TrendAsync(
        IReadOnlyList<string> twinIds, IReadOnlyList<string> names, DateTime fromUtc, DateTime toUtc, TimeSpan step,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(twinIds);
        ArgumentNullException.ThrowIfNull(names);
        var builder = new TrendBuilder(names, step);
        lock (_lock)
        {
            TrendBuilder.CheckNames(names, _names);
            foreach (var id in twinIds)
            {
                if (!_twins.TryGetValue(id, out var twin))
                {
                    continue;
                }

                foreach (var row in twin.Rows)
                {
                    if (row.TimeUtc < fromUtc || row.TimeUtc >= toUtc)
                    {
                        continue;
                    }

                    for (var i = 0; i < row.Names.Length; i++)
                    {
                        var k = IndexOf(names, row.Names[i]);
                        if (k >= 0)
                        {
                            builder.Add(id, k, row.TimeUtc.Ticks, row.Values[i], HistoryTier.Memory);
                        }
                    }
                }
            }
        }

        builder.Segment(fromUtc, toUtc, HistoryTier.Memory);
        return Task.FromResult(builder.Build(fromUtc, toUtc));
    }

    /// <inheritdoc />
    public Task<HistoryChange?> LatestChangeAsync(string twinId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_twins.TryGetValue(twinId, out var twin) ? twin.Changes.LastOrDefault(c => c.At <= at) : null);
        }
    }

    /// <inheritdoc />
    public Task<ImmutableArray<HistoryChange>> ChangesAsync(string twinId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_twins.TryGetValue(twinId, out var twin)
                ? twin.Changes.Where(c => c.At >= from && c.At < to).ToImmutableArray()
                : []);
        }
    }

    /// <inheritdoc />
    public Task<ImmutableArray<string>> NamesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_names.Order(StringComparer.Ordinal).ToImmutableArray());
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private TwinRows Twin(string id)
    {
        if (!_twins.TryGetValue(id, out var twin))
        {
            twin = new TwinRows();
            _twins[id] = twin;
        }

        return twin;
    }

    private sealed class TwinRows
    {
        public Queue<HistoryRecord> Rows { get; } = new();

        public HashSet<(string, long, string)> Keys { get; } = [];

        public List<HistoryChange> Changes { get; } = [];
    }
}
