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
    private const int MaxParallelReads = 32;

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

        var reads = new ImmutableArray<TwinHealth>[containers.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, containers.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelReads, CancellationToken = cancellationToken },
            async (i, _) => reads[i] = await client.Twin(containers[i]).GetChildHealth());
        var reports = reads.SelectMany(r => r).ToDictionary(h => h.TwinId, StringComparer.Ordinal);

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
