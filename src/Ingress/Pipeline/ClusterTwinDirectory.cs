using System.Collections.Concurrent;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;
using TwinCluster.Modeling;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>
/// Twin lookups through the cluster, cached: a twin's model for <see cref="PositiveTtl"/>, "no such twin" for
/// <see cref="NegativeTtl"/> (so a twin created a moment ago is soon seen); parsed models for the process's life
/// (models are immutable once uploaded).
/// </summary>
public sealed class ClusterTwinDirectory(IGrainFactory grains, TimeProvider time) : ITwinDirectory, IReportedPropertySink
{
    private readonly ConcurrentDictionary<TwinId, (Task<TwinModel?> Lookup, DateTimeOffset Expires)> _twins = new();
    private readonly ConcurrentDictionary<string, Task<(InterfaceModel Model, ModelSet Models)>> _models = new(StringComparer.Ordinal);

    /// <summary>How long a found twin's model is trusted (default 30 s).</summary>
    public TimeSpan PositiveTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most twins kept in the cache (default 200,000).</summary>
    public int MaxCachedTwins { get; init; } = 200_000;

    /// <summary>How long "no such twin" is trusted (default 2 s).</summary>
    public TimeSpan NegativeTtl { get; init; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async ValueTask<TwinModel?> FindAsync(TwinId twinId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_twins.TryGetValue(twinId, out var cached) && cached.Expires > now)
        {
            return await cached.Lookup;
        }

        if (_twins.Count >= MaxCachedTwins)
        {
            // Bounded: drop what has expired; if every entry is fresh (a flood of distinct ids), start over.
            foreach (var (key, entry) in _twins)
            {
                if (entry.Expires <= now)
                {
                    _twins.TryRemove(key, out _);
                }
            }

            if (_twins.Count >= MaxCachedTwins)
            {
                _twins.Clear();
            }
        }

        var lookup = Lookup(twinId);
        _twins[twinId] = (lookup, now + PositiveTtl);
        try
        {
            var found = await lookup;
            if (found is null)
            {
                _twins[twinId] = (lookup, now + NegativeTtl);
            }

            return found;
        }
        catch
        {
            _twins.TryRemove(twinId, out _);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Rejection?> ApplyAsync(TwinId twinId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        string? patch;
        System.Collections.Immutable.ImmutableArray<DesiredAck> acks;
        try
        {
            (patch, acks) = ReportedProperties.Split(json.Span);
        }
        catch (JsonException ex)
        {
            return new Rejection(DeadLetterReason.MalformedJson, $"reported properties must be a JSON object: {ex.Message}");
        }

        try
        {
            // Not Patch: what a device reports never becomes a desired value for it; acknowledgements go to its ledger.
            await grains.GetTwin(twinId).ReportProperties(patch, acks);
            return null;
        }
        catch (TwinOperationException ex) when (ex.Code == TwinErrorCode.NotFound)
        {
            return new Rejection(DeadLetterReason.UnknownTwin, ex.Message);
        }
        catch (TwinOperationException ex) when (ex.Code == TwinErrorCode.Invalid)
        {
            return new Rejection(DeadLetterReason.SchemaMismatch,
                ex.Details.IsDefaultOrEmpty ? ex.Message : ex.Message + ": " + string.Join("; ", ex.Details));
        }
    }

    private async Task<TwinModel?> Lookup(TwinId twinId)
    {
        var twin = await grains.GetTwin(twinId).Get();
        if (twin is null)
        {
            return null;
        }

        var (model, models) = await _models.GetOrAdd(twin.ModelId, FetchModel);
        return new TwinModel(twin.ModelId, model, models);
    }

    private async Task<(InterfaceModel, ModelSet)> FetchModel(string modelId)
    {
        try
        {
            var closure = await grains.GetModelRepository().GetClosure(modelId)
                ?? throw new TwinModelUnavailableException($"the twin's model '{modelId}' is not in the model repository");
            var model = new ModelParser().ParseClosure(modelId, closure.Documents, out var result);
            if (model is null || result.Models is null)
            {
                throw new TwinModelUnavailableException($"the twin's model '{modelId}' does not parse");
            }

            return (model, result.Models);
        }
        catch
        {
            // A model missing now may be uploaded later: never cache the failure.
            _models.TryRemove(modelId, out _);
            throw;
        }
    }
}
