using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Services;

/// <summary>A twin as the fleet page lists it: id, model, container.</summary>
public sealed record FleetEntry(string Id, string ModelId, string? ParentId);

/// <summary>
/// The fleet's twins from the query index (id, model, container), read in pages and kept for a few seconds so that
/// the fleet page and its search do not walk the index on every keystroke; shared by all circuits.
/// </summary>
public sealed class FleetIndex(IGrainFactory grains, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ImmutableArray<FleetEntry> _entries = [];
    private Dictionary<string, FleetEntry> _byId = new(StringComparer.Ordinal);
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>How long a read is reused (default 10 s).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every twin.</summary>
    public async Task<ImmutableArray<FleetEntry>> AllAsync(CancellationToken ct = default)
    {
        if (time.GetUtcNow() - _readAt < MaxAge)
        {
            return _entries;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (time.GetUtcNow() - _readAt < MaxAge)
            {
                return _entries;
            }

            var all = ImmutableArray.CreateBuilder<FleetEntry>();
            string? token = null;
            do
            {
                var page = await grains.GetQueries().Query(new TwinQuery(null, false, [], null, TwinQuery.MaxPageSize, token));
                all.AddRange(page.Items.Select(e => new FleetEntry(e.TwinId, e.ModelId, e.ParentId)));
                token = page.ContinuationToken;
            }
            while (token is not null);
            _entries = all.ToImmutable();
            _byId = _entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
            _readAt = time.GetUtcNow();
            return _entries;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The entry of a twin from the last read, if any.</summary>
    public FleetEntry? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Forgets the last read (after an import or a model upload).</summary>
    public void Invalidate() => _readAt = DateTimeOffset.MinValue;

    /// <summary>Twins whose id or model contains <paramref name="text"/> (case-insensitive), at most <paramref name="max"/>, by id.</summary>
    public static IReadOnlyList<FleetEntry> Search(IEnumerable<FleetEntry> entries, string text, int max)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var t = text.Trim();
        return [.. entries.Where(e => e.Id.Contains(t, StringComparison.OrdinalIgnoreCase) || e.ModelId.Contains(t, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Id, StringComparer.Ordinal).Take(max)];
    }
}
