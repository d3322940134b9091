namespace TwinCluster.Grains.Queries.Adt;

/// <summary>One candidate result row: the item bound to each collection name of the query.</summary>
public sealed class AdtRow
{
    private readonly Dictionary<string, AdtItem> _items;

    public AdtRow(string name, AdtItem item) => _items = new(StringComparer.Ordinal) { [name] = item };

    private AdtRow(Dictionary<string, AdtItem> items) => _items = items;

    public AdtItem? this[string name] => _items.GetValueOrDefault(name);

    /// <summary>Every twin and relationship in the row.</summary>
    public IEnumerable<AdtItem> Items => _items.Values;

    public AdtRow With(string name, AdtItem item) => new(new Dictionary<string, AdtItem>(_items, StringComparer.Ordinal) { [name] = item });

    /// <summary>
    /// The row's sort key: the keys of its items in the given order of names, so paging is stable for a query.
    /// </summary>
    public string Key(IReadOnlyList<string> names) =>
        string.Join('\u0000', names.Select(n => _items.TryGetValue(n, out var item) ? item.Key : ""));
}
