using System.Collections.Immutable;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Index;

/// <summary>
/// One index shard. Twins call it before acknowledging a write, so a query sees every acknowledged write. Entries
/// are kept in memory for queries and written through to the <see cref="ITwinIndexStore"/>.
/// </summary>
public sealed class TwinIndexGrain(ITwinIndexStore store) : Grain, ITwinIndexGrain
{
    private readonly Dictionary<string, IndexedTwin> _twins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _children = new(StringComparer.Ordinal);

    // Ids in order, rebuilt only after an id was added or removed, so a page is read from its start id onwards and
    // a query stops once it has its page instead of scanning and ranking the whole shard.
    private string[] _ordered = [];
    private bool _orderStale;

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await store.Load(Shard, cancellationToken))
        {
            Put(entry);
        }
    }

    public async Task Upsert(ImmutableArray<IndexEntry> entries)
    {
        await store.Upsert(Shard, entries, CancellationToken.None);
        foreach (var entry in entries)
        {
            Put(entry);
        }
    }

    public async Task Remove(ImmutableArray<string> twinIds)
    {
        await store.Remove(Shard, twinIds, CancellationToken.None);
        foreach (var id in twinIds)
        {
            if (_twins.Remove(id, out var old))
            {
                _orderStale = true;
                Unlink(old.Entry);
            }
        }
    }

    public Task<ImmutableArray<IndexEntry>> Query(ShardQuery query)
    {
        var filters = query.Filters.IsDefaultOrEmpty
            ? []
            : query.Filters.Select(f => (f.Path, f.Operator, Parse(f.ValueJson))).ToList();
        if (query.Within is null)
        {
            return Task.FromResult(InOrder(query, filters));
        }

        var candidates = query.Within.Select(id => _twins.GetValueOrDefault(id)).OfType<IndexedTwin>();
        // Keep only the `Limit` smallest ids after the token: a max-heap, O(n log k).
        var heap = new PriorityQueue<IndexEntry, string>(Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a)));
        foreach (var twin in candidates)
        {
            var id = twin.Entry.TwinId;
            if ((query.After is null || string.CompareOrdinal(id, query.After) > 0) && twin.Matches(query, filters))
            {
                heap.Enqueue(twin.Entry, id);
                if (heap.Count > query.Limit)
                {
                    heap.Dequeue();
                }
            }
        }

        var page = new IndexEntry[heap.Count];
        for (var i = page.Length - 1; i >= 0; i--)
        {
            page[i] = heap.Dequeue();
        }

        return Task.FromResult(ImmutableArray.Create(page));
    }

    private ImmutableArray<IndexEntry> InOrder(ShardQuery query, List<(string, FilterOperator, IndexValue)> filters)
    {
        if (_orderStale)
        {
            _ordered = [.. _twins.Keys];
            Array.Sort(_ordered, StringComparer.Ordinal);
            _orderStale = false;
        }

        var start = 0;
        if (query.After is { } after)
        {
            start = Array.BinarySearch(_ordered, after, StringComparer.Ordinal);
            start = start >= 0 ? start + 1 : ~start;
        }

        var page = ImmutableArray.CreateBuilder<IndexEntry>();
        for (var i = start; i < _ordered.Length && page.Count < query.Limit; i++)
        {
            var twin = _twins[_ordered[i]];
            if (twin.Matches(query, filters))
            {
                page.Add(twin.Entry);
            }
        }

        return page.ToImmutable();
    }

    public Task<ImmutableArray<IndexEntry>> Children(ImmutableArray<string> parentIds) =>
        Task.FromResult(parentIds
            .SelectMany(p => _children.TryGetValue(p, out var ids) ? ids : [])
            .Select(id => _twins[id].Entry)
            .ToImmutableArray());

    public Task<IndexEntry?> Find(string twinId) => Task.FromResult(_twins.GetValueOrDefault(twinId)?.Entry);

    private void Put(IndexEntry entry)
    {
        if (_twins.TryGetValue(entry.TwinId, out var old))
        {
            Unlink(old.Entry);
        }
        else
        {
            _orderStale = true;
        }

        _twins[entry.TwinId] = new IndexedTwin(entry);
        if (entry.ParentId is { } parent)
        {
            if (!_children.TryGetValue(parent, out var set))
            {
                _children[parent] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(entry.TwinId);
        }
    }

    private void Unlink(IndexEntry entry)
    {
        if (entry.ParentId is { } parent && _children.TryGetValue(parent, out var set))
        {
            set.Remove(entry.TwinId);
            if (set.Count == 0)
            {
                _children.Remove(parent);
            }
        }
    }

    private static IndexValue Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return IndexValue.From(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"filter value '{json}' is not a JSON value: {ex.Message}");
        }
    }
}
