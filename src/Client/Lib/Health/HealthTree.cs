using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Client.Health;

/// <summary>
/// Reads the health of a subtree with few calls: the shape from the query index (one call), the root's own health,
/// and for each container what its children last reported to it (one call per container, in parallel).
/// </summary>
public static class HealthTree
{
    /// <summary>Most containers read at once.</summary>
    private const int Parallel = 32;

    /// <summary>The tree under <paramref name="rootId"/>, <paramref name="depth"/> levels deep (0: the root alone).</summary>
    public static async Task<HealthNode> ReadAsync(TwinClient client, string rootId, int depth = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        var rootHealth = await client.Twin(rootId).GetHealth();
        var entries = depth == 0 ? [] : await client.SubtreeAsync(rootId);
        var children = entries
            .Where(e => e.ParentId is not null && e.TwinId != rootId)
            .GroupBy(e => e.ParentId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.TwinId, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal) { [rootId] = 0 };
        var containers = new List<string>();
        var queue = new Queue<string>([rootId]);
        while (queue.TryDequeue(out var id))
        {
            if (levels[id] >= depth || !children.TryGetValue(id, out var below))
            {
                continue;
            }

            containers.Add(id);
            foreach (var child in below)
            {
                if (levels.TryAdd(child.TwinId, levels[id] + 1))
                {
                    queue.Enqueue(child.TwinId);
                }
            }
        }

        var reports = new Dictionary<string, TwinHealth>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(Parallel);
        var reads = containers.Select(async id =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await client.Twin(id).GetChildHealth();
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        foreach (var read in await Task.WhenAll(reads))
        {
            foreach (var health in read)
            {
                reports[health.TwinId] = health;
            }
        }

        HealthNode Build(string id, string modelId, TwinHealth health) => new(
            id,
            modelId,
            health,
            levels[id] < depth && children.TryGetValue(id, out var below)
                ? [.. below.Select(c => Build(c.TwinId, c.ModelId, reports.GetValueOrDefault(c.TwinId) ?? TwinHealth.Unknown(c.TwinId, c.ModelId)))]
                : []);

        return Build(rootId, rootHealth.ModelId, rootHealth);
    }
}
