using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Own;

/// <summary><c>/api/v1/health/{id}</c>: a twin's explained health and the tree below it.</summary>
public static class OwnHealthEndpoints
{
    public static RouteGroupBuilder MapOwnHealthEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id}", Get).RequireTwinRead().WithSummary("The twin's explained health and the tree below it (depth levels, all by default).")
            .ProducesProblem(404).ProducesProblem(400);
        return group;
    }

    private static async Task<Ok<HealthNodeDto>> Get(string id, int? depth, IGrainFactory grains)
    {
        if (depth is < 0)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"depth {depth} must be 0 or more");
        }

        var root = await grains.GetTwin(new TwinId(id)).Get() ?? throw TwinOperationException.TwinNotFound(id);
        return TypedResults.Ok(await HealthTreeReader.ReadAsync(grains, root, depth ?? int.MaxValue));
    }
}

/// <summary>
/// Reads a subtree's health with few calls: its shape from the query index, the root's own health, and for each
/// container what its children last reported to it (containers read in parallel).
/// </summary>
public static class HealthTreeReader
{
    public static async Task<HealthNodeDto> ReadAsync(IGrainFactory grains, TwinSnapshot root, int depth)
    {
        var rootHealth = await grains.GetTwin(new TwinId(root.Id)).GetHealth();
        var entries = depth == 0 ? [] : await grains.GetQueries().Subtree(root.Id);
        var children = entries.Where(e => e.ParentId is not null && e.TwinId != root.Id)
            .GroupBy(e => e.ParentId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.TwinId, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal) { [root.Id] = 0 };
        var containers = new List<string>();
        var queue = new Queue<string>([root.Id]);
        while (queue.TryDequeue(out var id))
        {
            if (levels[id] >= depth || !children.TryGetValue(id, out var below))
            {
                continue;
            }

            containers.Add(id);
            foreach (var child in below.Where(c => levels.TryAdd(c.TwinId, levels[id] + 1)))
            {
                queue.Enqueue(child.TwinId);
            }
        }

        var reads = new ImmutableArray<TwinHealth>[containers.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, containers.Count), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) => reads[i] = await grains.GetTwin(new TwinId(containers[i])).GetChildHealth());
        var reports = reads.SelectMany(r => r).ToDictionary(h => h.TwinId, StringComparer.Ordinal);

        HealthNodeDto Build(string id, string modelId, TwinHealth health) => HealthNodeDto.From(health, modelId,
            levels[id] < depth && children.TryGetValue(id, out var below)
                ? [.. below.Select(c => Build(c.TwinId, c.ModelId, reports.GetValueOrDefault(c.TwinId) ?? TwinHealth.Unknown(c.TwinId, c.ModelId)))]
                : []);

        return Build(root.Id, root.ModelId, rootHealth);
    }
}
