using System.Collections.Immutable;
using Orleans.Concurrency;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Storage.History;

namespace TwinCluster.Grains.History;

/// <summary>History queries: checks the input, resolves a subtree or model to its twins, asks the store.</summary>
[StatelessWorker]
public sealed class HistoryGrain(IHistoryStore store) : Grain, IHistoryGrain
{
    /// <inheritdoc />
    public async Task<HistoryTrend> Trend(HistoryTrendQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var names = query.Names.IsDefault ? [] : query.Names.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw HistorySteps.Invalid("names: give at least one feature or channel name (e.g. velocityRms,health)");
        }

        var step = HistorySteps.Resolve(query.From, query.To, query.Step);
        var twins = await TwinsOf(query);
        return await store.TrendAsync(twins, names, query.From.UtcDateTime, query.To.UtcDateTime, step);
    }

    /// <inheritdoc />
    public async Task<TwinSnapshot?> AsOf(string twinId, DateTimeOffset at)
    {
        RequireTwin(twinId);
        var change = await store.LatestChangeAsync(twinId, at);
        return change?.AfterJson is { } json ? TwinStateJson.Read(json) : null;
    }

    /// <inheritdoc />
    public Task<ImmutableArray<HistoryChange>> Changes(string twinId, DateTimeOffset from, DateTimeOffset to)
    {
        RequireTwin(twinId);
        if (to <= from)
        {
            throw HistorySteps.Invalid($"the time range is backwards or empty: 'to' ({to:O}) must be after 'from' ({from:O})");
        }

        return store.ChangesAsync(twinId, from, to);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<string>> Names() => store.NamesAsync();

    private async Task<IReadOnlyList<string>> TwinsOf(HistoryTrendQuery query)
    {
        if (query.TwinId is { Length: > 0 } twin)
        {
            if (query.SubtreeId is not null || query.ModelId is not null)
            {
                throw HistorySteps.Invalid("twin: give either one twin or a subtree and/or model, not both");
            }

            return [twin];
        }

        if (query.SubtreeId is null && query.ModelId is null)
        {
            throw HistorySteps.Invalid("twin: give a twin id, or a subtree and/or a model");
        }

        var twins = new List<string>();
        string? token = null;
        do
        {
            var page = await GrainFactory.GetGrain<IQueryGrain>(0).Query(
                new TwinQuery(query.ModelId, true, [], query.SubtreeId, TwinQuery.MaxPageSize, token));
            twins.AddRange(page.Items.Select(t => t.TwinId));
            token = page.ContinuationToken;
            if (twins.Count > HistoryTrendQuery.MaxTwins)
            {
                throw HistorySteps.Invalid($"subtree/model: more than {HistoryTrendQuery.MaxTwins:N0} twins match; narrow the subtree or the model");
            }
        }
        while (token is not null);
        return twins;
    }

    private static void RequireTwin(string twinId)
    {
        if (string.IsNullOrWhiteSpace(twinId))
        {
            throw HistorySteps.Invalid("twin: a twin id is required");
        }
    }
}
