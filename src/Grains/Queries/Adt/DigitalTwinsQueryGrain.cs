using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Configuration;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Runs Azure Digital Twins queries: parse, plan against the index, read what the page needs, write ADT's JSON.
/// A stateless worker, so every silo runs queries locally and more activations start under load. The index shards
/// are written before a twin write is acknowledged, and returned twins are read from their grains (and checked
/// against the condition again), so a query sees every acknowledged write.
/// </summary>
[StatelessWorker]
public sealed class DigitalTwinsQueryGrain(IndexRouter index, IOptions<ClusterOptions> cluster, TwinMetrics metrics) : Grain, IDigitalTwinsQueryGrain
{
    /// <summary>Rows per page when the caller does not say.</summary>
    public const int DefaultPageSize = 100;

    private readonly byte[] _tokenKey = AdtPageToken.KeyFor(cluster.Value.ServiceId);

    public Task<DigitalTwinsQueryPage> Run(string query, string? continuationToken, int maxItemsPerPage) =>
        RunCore(query, continuationToken, maxItemsPerPage, null);

    public Task<DigitalTwinsQueryPage> RunWithin(string query, string? continuationToken, int maxItemsPerPage, ImmutableHashSet<string> readable) =>
        RunCore(query, continuationToken, maxItemsPerPage, readable ?? []);

    private async Task<DigitalTwinsQueryPage> RunCore(string query, string? continuationToken, int maxItemsPerPage, ImmutableHashSet<string>? readable)
    {
        var started = Stopwatch.GetTimestamp();
        var pageSize = maxItemsPerPage <= 0 ? DefaultPageSize : Math.Min(maxItemsPerPage, TwinQuery.MaxPageSize);
        AdtPageToken? token = null;
        if (!string.IsNullOrEmpty(continuationToken))
        {
            token = AdtPageToken.Decode(continuationToken, _tokenKey);
            if (string.IsNullOrWhiteSpace(query))
            {
                query = token.Query;
            }
            else if (query != token.Query)
            {
                throw new TwinOperationException(TwinErrorCode.Invalid, "continuationToken: it belongs to another query; send it with the query that returned it, or with no query");
            }
        }

        var parsed = AdtParser.Parse(query ?? "");
        var evaluator = new AdtEvaluator(await ModelSets(parsed.Where));
        var graph = new AdtGraph(GrainFactory, index);
        var runner = new AdtQueryRunner(parsed, evaluator, graph, new AdtTwinScan(index)) { Readable = readable };
        DigitalTwinsQueryPage page;
        if (parsed.Select.Count)
        {
            page = new([AdtRowWriter.Count((await runner.Rows(null, int.MaxValue)).Count)], null);
        }
        else
        {
            var returned = token?.Returned ?? 0;
            var need = parsed.Select.Top is { } top ? Math.Min(pageSize, top - returned) : pageSize;
            var rows = need > 0 ? await runner.Rows(token?.LastKey, need + 1) : [];
            var more = rows.Count > need;
            if (more)
            {
                rows = rows[..need];
            }

            var total = returned + rows.Count;
            var next = more && (parsed.Select.Top is not { } limit || total < limit)
                ? new AdtPageToken(query!, rows[^1].Key, total).Encode(_tokenKey)
                : null;
            page = new(await Items(parsed, runner, graph, evaluator, rows), next);
        }

        metrics.Queried("adt-query", Stopwatch.GetElapsedTime(started));
        return page;
    }

    private static async Task<ImmutableArray<string>> Items(AdtQuery query, AdtQueryRunner runner, AdtGraph graph, AdtEvaluator evaluator, List<(string Key, AdtRow Row)> rows)
    {
        var first = runner.KeyNames[0];
        var written = AdtRowWriter.SnapshotCollections(query, first);
        var fromIndex = rows.SelectMany(r => written.Select(n => r.Row[n])).OfType<AdtTwin>().Where(t => t.Snapshot is null).ToList();
        IEnumerable<AdtRow> result = rows.Select(r => r.Row);
        if (fromIndex.Count > 0)
        {
            // Index entries found these rows; the twins they return are read now, and a twin changed or deleted since
            // the index was read is checked again, so no row shows data that does not match.
            await graph.Load(fromIndex.Select(t => t.Id));
            result = result.Select(row =>
            {
                AdtRow? current = row;
                foreach (var name in written)
                {
                    if (current?[name] is AdtTwin { Snapshot: null } twin)
                    {
                        current = graph.Twin(twin.Id) is { } read ? current.With(name, read) : null;
                    }
                }

                return current;
            }).OfType<AdtRow>().Where(row => evaluator.Matches(query.Where, row));
        }

        return [.. result.Select(row => AdtRowWriter.Write(query, first, row))];
    }

    private async Task<Dictionary<string, IReadOnlySet<string>>> ModelSets(AdtExpression? where)
    {
        var models = ModelsWithSubtypes(where).Distinct(StringComparer.Ordinal).ToList();
        var subtypes = await Task.WhenAll(models.Select(m => GrainFactory.GetModelRepository().GetSubtypes(m)));
        var sets = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            sets[models[i]] = new HashSet<string>([models[i], .. subtypes[i]], StringComparer.Ordinal);
        }

        return sets;
    }

    private static IEnumerable<string> ModelsWithSubtypes(AdtExpression? expression) => expression switch
    {
        AdtIsOfModel { Exact: false } m => [m.ModelId],
        AdtLogical l => l.Operands.SelectMany(ModelsWithSubtypes),
        AdtNot n => ModelsWithSubtypes(n.Operand),
        AdtFunction f => f.Arguments.SelectMany(ModelsWithSubtypes),
        _ => [],
    };
}
