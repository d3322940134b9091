using System.Collections.Concurrent;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Modeling;

namespace TwinCluster.Grains.Models;

/// <summary>
/// Per-silo cache of parsed models. Models are immutable once uploaded, so a parsed model is kept for the silo's life
/// (until deleted). Whether a model is decommissioned can change, so it is not cached: ask the repository.
/// </summary>
public sealed class ModelCache(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, Task<CachedModel>> _models = new(StringComparer.Ordinal);

    /// <summary>The model, or an exception (NotFound) when the repository does not know it.</summary>
    public async Task<CachedModel> GetAsync(string modelId)
    {
        var task = _models.GetOrAdd(modelId, Fetch);
        CachedModel model;
        try
        {
            model = await task;
        }
        catch
        {
            // A model missing now may be uploaded later: never cache the failure.
            _models.TryRemove(new KeyValuePair<string, Task<CachedModel>>(modelId, task));
            throw;
        }

        return model;
    }

    /// <summary>Forgets a model (after a delete).</summary>
    public void Invalidate(string modelId) => _models.TryRemove(modelId, out _);

    private async Task<CachedModel> Fetch(string modelId)
    {
        var closure = await grains.GetModelRepository().GetClosure(modelId)
            ?? throw new TwinOperationException(TwinErrorCode.NotFound, $"model '{modelId}' is not in the model repository");
        var model = new ModelParser().ParseClosure(modelId, closure.Documents, out var result);
        if (!result.IsValid || result.Models is null)
        {
            throw new TwinOperationException(
                TwinErrorCode.Invalid,
                $"stored model '{modelId}' no longer parses",
                [.. result.Errors.Select(e => $"{e.Code} at {e.Path}: {e.Message}")]);
        }

        return model is null
            ? throw new TwinOperationException(TwinErrorCode.NotFound, $"model '{modelId}' is not in the model repository")
            : new CachedModel(model, result.Models);
    }
}
