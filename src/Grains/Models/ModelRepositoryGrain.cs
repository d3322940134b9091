using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Modeling;

namespace TwinCluster.Grains.Models;

/// <summary>The cluster's model repository: validates uploads as one set with what is stored, stores all or nothing.</summary>
public sealed class ModelRepositoryGrain(
    [PersistentState("models", StorageNames.Models)] IPersistentState<ModelRepositoryState> state,
    ModelCache cache,
    TimeProvider time) : Grain, IModelRepositoryGrain
{
    private ModelSet _known = ModelSet.Empty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Models.Count > 0)
        {
            var parsed = new ModelParser().Parse(StoredSources());
            // Stored models were valid when stored; a parser that now rejects them must not hide them.
            _known = parsed.Models ?? throw new InvalidOperationException(
                "stored models no longer parse: " + string.Join("; ", parsed.Errors.Take(5).Select(e => e.Message)));
        }

        return Task.CompletedTask;
    }

    public async Task<ModelUploadResult> Upload(ImmutableArray<string> documents)
    {
        if (documents.IsDefaultOrEmpty)
        {
            return Failed(new ModelIssue("upload.empty", "no model documents were given", "$", null));
        }

        // Source names are tagged per upload so this upload's interfaces are told apart from stored ones.
        var tag = "@" + Guid.NewGuid().ToString("N")[..8];
        var sources = documents.Select((json, i) => new ModelSource(ModelUploadResult.DocumentName(i) + tag, json)).ToList();
        var result = new ModelParser().Parse(sources, _known);
        if (!result.IsValid || result.Models is null)
        {
            return new ModelUploadResult([], [.. result.Errors.Select(e => new ModelIssue(e.Code, e.Message, e.Path, e.Source?.Replace(tag, "", StringComparison.Ordinal)))]);
        }

        var uploaded = result.Models.Interfaces.Values.Where(m => m.SourceName?.EndsWith(tag, StringComparison.Ordinal) == true).ToList();
        var duplicates = uploaded
            .Where(m => state.State.Models.ContainsKey(m.Id))
            .Select(m => new ModelIssue("model.exists", $"model '{m.Id}' is already uploaded; models are immutable, upload a new version instead", m.Path, m.SourceName!.Replace(tag, "", StringComparison.Ordinal)))
            .ToImmutableArray();
        if (!duplicates.IsEmpty)
        {
            return new ModelUploadResult([], duplicates);
        }

        var added = uploaded;
        var now = time.GetUtcNow();
        foreach (var model in added)
        {
            state.State.Models[model.Id] = new StoredModel
            {
                Json = model.SourceJson,
                UploadedAt = now,
                Dependencies = [.. Dependencies(model)],
                DisplayName = model.DisplayName?.Default,
            };
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            foreach (var model in added)
            {
                state.State.Models.Remove(model.Id);
            }

            throw;
        }

        _known = result.Models;
        return new ModelUploadResult([.. added.Select(m => m.Id).Order(StringComparer.Ordinal)], []);
    }

    public Task<ImmutableArray<ModelInfo>> List() =>
        Task.FromResult(state.State.Models.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Info(p.Key, p.Value)).ToImmutableArray());

    public Task<ModelDefinition?> Get(string modelId) =>
        Task.FromResult(state.State.Models.TryGetValue(modelId, out var stored) ? new ModelDefinition(Info(modelId, stored), stored.Json) : null);

    public Task<ModelClosure?> GetClosure(string modelId)
    {
        if (!state.State.Models.ContainsKey(modelId))
        {
            return Task.FromResult<ModelClosure?>(null);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { modelId };
        var pending = new Queue<string>([modelId]);
        var documents = new List<string>();
        while (pending.TryDequeue(out var id))
        {
            if (!state.State.Models.TryGetValue(id, out var stored))
            {
                continue;
            }

            // Several interfaces can come from one document (inline components): ship each document once.
            if (!documents.Contains(stored.Json))
            {
                documents.Add(stored.Json);
            }

            foreach (var dependency in stored.Dependencies.Where(seen.Add))
            {
                pending.Enqueue(dependency);
            }
        }

        return Task.FromResult<ModelClosure?>(new ModelClosure(modelId, [.. documents]));
    }

    public Task<ImmutableArray<string>> GetSubtypes(string modelId) =>
        Task.FromResult(_known.Interfaces.Keys.Where(id => _known.IsSubtypeOf(id, modelId)).Order(StringComparer.Ordinal).ToImmutableArray());

    public Task<ImmutableArray<string>> GetUnavailable(ImmutableArray<string> modelIds) =>
        Task.FromResult(modelIds.Where(id => !state.State.Models.TryGetValue(id, out var m) || m.Decommissioned).ToImmutableArray());

    public async Task Decommission(string modelId)
    {
        var stored = Require(modelId);
        if (!stored.Decommissioned)
        {
            stored.Decommissioned = true;
            await WriteOrUndo(() => stored.Decommissioned = false);
        }
    }

    public async Task Delete(string modelId)
    {
        var stored = Require(modelId);
        var dependents = state.State.Models.Where(p => p.Value.Dependencies.Contains(modelId)).Select(p => p.Key).ToList();
        if (dependents.Count > 0)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"model '{modelId}' is used by {string.Join(", ", dependents)}; delete those first");
        }

        var users = await GrainFactory.GetQueries().Query(new TwinQuery(modelId, false, [], null, 1, null));
        if (!users.Items.IsEmpty)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"model '{modelId}' is used by twin '{users.Items[0].TwinId}' and others; delete them first");
        }

        state.State.Models.Remove(modelId);
        await WriteOrUndo(() => state.State.Models[modelId] = stored);
        var reparsed = new ModelParser().Parse(StoredSources());
        _known = reparsed.Models ?? ModelSet.Empty;
        cache.Invalidate(modelId);
    }

    private StoredModel Require(string modelId) =>
        state.State.Models.GetValueOrDefault(modelId)
        ?? throw new TwinOperationException(TwinErrorCode.NotFound, $"model '{modelId}' is not in the model repository");

    private async Task WriteOrUndo(Action undo)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            undo();
            throw;
        }
    }

    private IEnumerable<ModelSource> StoredSources() =>
        state.State.Models.Values.Select(m => m.Json).Distinct(StringComparer.Ordinal).Select((json, i) => new ModelSource($"stored[{i}]", json));

    // Bases, component interfaces and the interfaces whose schemas it uses: what its closure must ship to parse.
    private static IEnumerable<string> Dependencies(InterfaceModel model) =>
        model.Dependencies.Where(id => id != model.Id).Distinct(StringComparer.Ordinal);

    // Historized contents come from the parsed model (the stored JSON is the truth; nothing extra is persisted).
    private ModelInfo Info(string id, StoredModel stored) =>
        new(id, stored.DisplayName, stored.UploadedAt, stored.Decommissioned, [.. stored.Dependencies])
        {
            Historized = _known.Find(id) is { } model ? [.. model.Historized.Select(c => c.Name).Order(StringComparer.Ordinal)] : [],
        };

    private static ModelUploadResult Failed(ModelIssue issue) => new([], [issue]);
}
