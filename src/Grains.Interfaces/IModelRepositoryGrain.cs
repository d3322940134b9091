using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The cluster's DTDL models (one grain, key 0). Models are immutable once uploaded: a change is a new DTMI version.
/// </summary>
[Alias("tc.IModelRepositoryGrain")]
public interface IModelRepositoryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Parses and validates the documents (each a DTDL JSON object or array) together with the models already stored;
    /// stores all of them or none.
    /// </summary>
    [Alias("Upload")]
    Task<ModelUploadResult> Upload(ImmutableArray<string> documents);

    /// <summary>All stored models.</summary>
    [Alias("List")]
    Task<ImmutableArray<ModelInfo>> List();

    /// <summary>One model, or null.</summary>
    [Alias("Get")]
    Task<ModelDefinition?> Get(string modelId);

    /// <summary>
    /// The documents of a model and of everything it depends on (enough to parse it on its own); null when the model
    /// is unknown. Whether it takes new twins is <see cref="GetUnavailable"/>'s answer, never cached.
    /// </summary>
    [Alias("GetClosure")]
    Task<ModelClosure?> GetClosure(string modelId);

    /// <summary>The model and every stored model that extends it, directly or not.</summary>
    [Alias("GetSubtypes")]
    Task<ImmutableArray<string>> GetSubtypes(string modelId);

    /// <summary>
    /// Which of the given models take no new twins: decommissioned, or not (or no longer) in the repository.
    /// </summary>
    [Alias("GetUnavailable"), Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<string>> GetUnavailable(ImmutableArray<string> modelIds);

    /// <summary>No new twins of this model may be created; existing ones stay.</summary>
    [Alias("Decommission")]
    Task Decommission(string modelId);

    /// <summary>Deletes a model; refused while a twin uses it or another model depends on it.</summary>
    [Alias("Delete")]
    Task Delete(string modelId);
}
