namespace TwinCluster.Grains.Index;

/// <summary>
/// The twin ids under each key (a model, a property value) of one index shard. A key held by one twin keeps the id
/// itself, not a set: most property values (names, serial numbers) are unique, and a set per value would cost several
/// times the id.
/// </summary>
internal sealed class Postings<TKey>(IEqualityComparer<TKey> comparer)
    where TKey : notnull
{
    private readonly Dictionary<TKey, object> _ids = new(comparer);

    public int Count(TKey key) => _ids.TryGetValue(key, out var ids) ? ids is HashSet<string> set ? set.Count : 1 : 0;

    public IEnumerable<string> Ids(TKey key)
    {
        if (!_ids.TryGetValue(key, out var ids))
        {
            return [];
        }

        return ids is HashSet<string> set ? set : [(string)ids];
    }

    public void Add(TKey key, string id)
    {
        if (!_ids.TryGetValue(key, out var ids))
        {
            _ids[key] = id;
        }
        else if (ids is HashSet<string> set)
        {
            set.Add(id);
        }
        else if (!string.Equals((string)ids, id, StringComparison.Ordinal))
        {
            _ids[key] = new HashSet<string>(StringComparer.Ordinal) { (string)ids, id };
        }
    }

    public void Remove(TKey key, string id)
    {
        if (!_ids.TryGetValue(key, out var ids))
        {
            return;
        }

        if (ids is HashSet<string> set)
        {
            set.Remove(id);
            if (set.Count == 1)
            {
                _ids[key] = set.First();
            }
        }
        else if (string.Equals((string)ids, id, StringComparison.Ordinal))
        {
            _ids.Remove(key);
        }
    }
}
