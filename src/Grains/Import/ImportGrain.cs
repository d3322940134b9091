using System.Collections.Immutable;
using Orleans.Concurrency;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Import;

/// <summary>
/// Bulk import worker: creates a batch of twins in parallel (one grain call and one state write per twin, both
/// relationship sides included), then updates the index with one call per shard for the whole batch.
/// </summary>
[StatelessWorker]
public sealed class ImportGrain(IndexRouter index, TwinMetrics metrics) : Grain, IImportGrain
{
    public async Task<ImmutableArray<ImportItemResult>> ImportTwins(ImmutableArray<TwinImportItem> items)
    {
        var retired = (await GrainFactory.GetModelRepository().GetDecommissioned([.. items.Select(i => i.ModelId).Distinct(StringComparer.Ordinal)]))
            .ToHashSet(StringComparer.Ordinal);
        var outcomes = await Task.WhenAll(items.Select(item => retired.Contains(item.ModelId)
            ? Task.FromResult<(ImportItemResult Result, IndexEntry? Entry)>((new ImportItemResult(item.Line, item.Id, $"Conflict: model '{item.ModelId}' is decommissioned; no new twins of it may be created", []), null))
            : ImportOne(item)));
        var created = outcomes.Where(o => o.Entry is not null).Select(o => o.Entry!).ToList();
        await index.UpsertMany(created);
        metrics.Wrote("import", created.Count);
        return [.. outcomes.Select(o => o.Result)];
    }

    private async Task<(ImportItemResult Result, IndexEntry? Entry)> ImportOne(TwinImportItem item)
    {
        try
        {
            var imported = await GrainFactory.GetGrain<ITwinGrain>(item.Id).Import(item);
            return (new ImportItemResult(item.Line, item.Id, null, imported.Rejected), imported.Entry);
        }
        catch (TwinOperationException ex)
        {
            var detail = ex.Details.IsDefaultOrEmpty ? "" : " [" + string.Join("; ", ex.Details) + "]";
            return (new ImportItemResult(item.Line, item.Id, $"{ex.Code}: {ex.Message}{detail}", []), null);
        }
    }
}
