using System.Collections.Immutable;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Index;

/// <summary>
/// One index shard. Twins call it before acknowledging a write, so a query sees every acknowledged write. Entries
/// are kept in memory for queries and written through to the <see cref="ITwinIndexStore"/>. Besides the entries in
/// id order, the shard keeps which twins have each model and which have each string or boolean value at each
/// property path (<see cref="IndexedTwin.Values"/>), both updated in the same turn as the entry: a query with a model
/// or an equality filter reads only those twins instead of the whole shard.
/// </summary>
public sealed class TwinIndexGrain(ITwinIndexStore store) : Grain, ITwinIndexGrain
{
    /// <summary>Postings are read instead of the ordered ids when they hold at most one in this many of the shard's twins.</summary>
    private const int CandidateFactor = 4;

    private readonly Dictionary<string, IndexedTwin> _twins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _children = new(StringComparer.Ordinal);
    private readonly Postings<string> _byModel = new(StringComparer.Ordinal);
    private readonly Postings<(string Path, IndexValue Value)> _byValue = new(EqualityComparer<(string, IndexValue)>.Default);

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
                Unlink(old);
            }
        }
    }

    public Task<ImmutableArray<IndexEntry>> Query(ShardQuery query)
    {
        var filters = query.Filters.IsDefaultOrEmpty
            ? []
            : query.Filters.Select(f => (f.Path, f.Operator, Parse(f.ValueJson))).ToList();
        if (query.Within is not null)
        {
            return Task.FromResult(Smallest(query.Within.Select(id => _twins.GetValueOrDefault(id)).OfType<IndexedTwin>(), query, filters));
        }

        // The fewest candidates a model or an equality filter names; every candidate is still checked against the
        // whole query, so the postings only narrow. Walking the ids in order stops at the page's end, so it stays the
        // plan when the postings would not cut the shard by much.
        IEnumerable<string>? candidates = null;
        var count = long.MaxValue;
        if (query.ModelIds is { } models)
        {
            count = models.Sum(m => (long)_byModel.Count(m));
            candidates = models.SelectMany(_byModel.Ids);
        }

        foreach (var (path, op, value) in filters)
        {
            if (op == FilterOperator.Eq && IsPosted(value) && _byValue.Count((path, value)) is var n && n < count)
            {
                (candidates, count) = (_byValue.Ids((path, value)), n);
            }
        }

        if (candidates is not null && count * CandidateFactor <= _twins.Count)
        {
            return Task.FromResult(Smallest(candidates.Select(id => _twins[id]), query, filters));
        }

        return Task.FromResult(InOrder(query, filters));
    }

    /// <summary>The <c>Limit</c> smallest ids after the token among <paramref name="candidates"/> that match: a max-heap, O(n log k).</summary>
    private static ImmutableArray<IndexEntry> Smallest(IEnumerable<IndexedTwin> candidates, ShardQuery query, List<(string, FilterOperator, IndexValue)> filters)
    {
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

        return ImmutableArray.Create(page);
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
            Unlink(old);
        }
        else
        {
            _orderStale = true;
        }

        var twin = new IndexedTwin(entry);
        _twins[entry.TwinId] = twin;
        _byModel.Add(entry.ModelId, entry.TwinId);
        foreach (var (path, value) in twin.Values)
        {
            if (IsPosted(value))
            {
                _byValue.Add((path, value), entry.TwinId);
            }
        }

        if (entry.ParentId is { } parent)
        {
            if (!_children.TryGetValue(parent, out var set))
            {
                _children[parent] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(entry.TwinId);
        }
    }

    private void Unlink(IndexedTwin twin)
    {
        var entry = twin.Entry;
        _byModel.Remove(entry.ModelId, entry.TwinId);
        foreach (var (path, value) in twin.Values)
        {
            if (IsPosted(value))
            {
                _byValue.Remove((path, value), entry.TwinId);
            }
        }

        if (entry.ParentId is { } parent && _children.TryGetValue(parent, out var set))
        {
            set.Remove(entry.TwinId);
            if (set.Count == 0)
            {
                _children.Remove(parent);
            }
        }
    }

    /// <summary>
    /// Strings and booleans are posted: names, serial numbers, states, what equality finds. Numbers are not, since
    /// they are mostly measurements that change with every write and are compared by range.
    /// </summary>
    private static bool IsPosted(IndexValue value) => value.Kind is JsonValueKind.String or JsonValueKind.True or JsonValueKind.False;

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
