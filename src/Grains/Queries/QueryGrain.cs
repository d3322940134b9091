using System.Collections.Immutable;
using Orleans.Concurrency;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries;

/// <summary>
/// Query coordinator, one per silo and more under load. Resolves the model set and the subtree, then asks every
/// shard for its first page after the token and merges. Shards are written before twins acknowledge, so the
/// result includes every write acknowledged before the query began.
/// </summary>
[StatelessWorker]
public sealed class QueryGrain(IndexRouter index, TwinMetrics metrics) : Grain, IQueryGrain
{
    private const int DefaultPageSize = 100;

    /// <summary>The largest subtree resolved in one call; larger ones are refused rather than exhausting memory.</summary>
    public const int MaxSubtree = 250_000;

    public async Task<TwinQueryPage> Query(TwinQuery query)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pageSize = query.PageSize == 0 ? DefaultPageSize : query.PageSize;
        if (pageSize < 1 || pageSize > TwinQuery.MaxPageSize)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"page size {query.PageSize} must be between 1 and {TwinQuery.MaxPageSize}");
        }

        foreach (var filter in query.Filters.IsDefault ? [] : query.Filters)
        {
            if (string.IsNullOrWhiteSpace(filter.Path))
            {
                throw new TwinOperationException(TwinErrorCode.Invalid, "a filter needs a property path");
            }
        }

        var after = ContinuationToken.Decode(query.ContinuationToken);
        ImmutableHashSet<string>? models = null;
        if (query.ModelId is { } modelId)
        {
            models = query.IncludeSubtypes
                ? [.. await GrainFactory.GetModelRepository().GetSubtypes(modelId), modelId]
                : [modelId];
        }

        ImmutableHashSet<string>? within = null;
        if (query.AncestorId is { } ancestor)
        {
            within = [.. (await Subtree(ancestor)).Skip(1).Select(e => e.TwinId)];
        }

        var shardQuery = new ShardQuery(models, query.Filters.IsDefault ? [] : query.Filters, within, after, pageSize + 1);
        var merged = (await index.Broadcast(shard => shard.Query(shardQuery)))
            .Sort((a, b) => string.CompareOrdinal(a.TwinId, b.TwinId));
        var page = merged.Length > pageSize ? merged[..pageSize] : merged;
        var token = merged.Length > pageSize ? ContinuationToken.Encode(page[^1].TwinId) : null;
        metrics.Queried(query.AncestorId is null ? "query" : "subtree-query", TimeSince(started));
        return new TwinQueryPage(page, token);
    }

    public async Task<ImmutableArray<IndexEntry>> Subtree(string rootId)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var root = await index.ShardFor(rootId).Find(rootId)
            ?? throw TwinOperationException.TwinNotFound(rootId);
        var result = ImmutableArray.CreateBuilder<IndexEntry>();
        result.Add(root);
        var seen = new HashSet<string>(StringComparer.Ordinal) { rootId };
        ImmutableArray<string> frontier = [rootId];
        // One round per level of the hierarchy, every shard asked at once; `seen` guards against a corrupt cycle.
        while (!frontier.IsEmpty)
        {
            var level = frontier;
            var children = await index.Broadcast(shard => shard.Children(level));
            var next = ImmutableArray.CreateBuilder<string>();
            foreach (var child in children.Sort((a, b) => string.CompareOrdinal(a.TwinId, b.TwinId)))
            {
                if (seen.Add(child.TwinId))
                {
                    result.Add(child);
                    next.Add(child.TwinId);
                }

                if (result.Count > MaxSubtree)
                {
                    throw new TwinOperationException(TwinErrorCode.Invalid, $"the subtree under '{rootId}' has more than {MaxSubtree:N0} twins; query a smaller part of the hierarchy");
                }
            }

            frontier = next.ToImmutable();
        }

        metrics.Queried("subtree", TimeSince(started));
        return result.ToImmutable();
    }

    private static TimeSpan TimeSince(long started) => System.Diagnostics.Stopwatch.GetElapsedTime(started);
}
