using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>ADT's <c>/models</c>: upload (atomic), list with dependencies and definitions, get, decommission, delete.</summary>
public static class AdtModelEndpoints
{
    public static RouteGroupBuilder MapAdtModelEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("", Upload).RequireModeler("model.upload").Accepts<JsonArray>("application/json")
            .WithSummary("Uploads DTDL models (an array), all or none.").ProducesAdtErrors(400, 409);
        group.MapGet("", List).RequireTwinRead(null).WithSummary("Lists models; dependenciesFor limits to those models and what they depend on.").ProducesAdtErrors(400, 404);
        group.MapGet("/{id}", Get).RequireTwinRead(null).WithSummary("One model.").ProducesAdtErrors(404);
        group.MapPatch("/{id}", Decommission).RequireModeler("model.decommission").Accepts<JsonArray>("application/json-patch+json", "application/json")
            .WithSummary("Decommissions a model: [{\"op\":\"replace\",\"path\":\"/decommissioned\",\"value\":true}].").ProducesAdtErrors(400, 404);
        group.MapDelete("/{id}", Delete).RequireModeler("model.delete").WithSummary("Deletes a model no twin or model uses.").ProducesAdtErrors(404, 409);
        return group;
    }

    private static async Task<Created<IReadOnlyList<AdtModelData>>> Upload(HttpRequest request, IGrainFactory grains, ApiOptions options, CancellationToken ct)
    {
        var body = (JsonArray)await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Array, ct);
        if (body.Count == 0)
        {
            throw AdtException.BadRequest("The request body must hold at least one model.");
        }

        var documents = body.Select((m, i) => m is JsonObject o ? o.ToJsonString() : throw AdtException.BadRequest($"models[{i}] must be a JSON object.", "DTDLParserError"))
            .ToImmutableArray();
        var result = await grains.GetModelRepository().Upload(documents);
        if (!result.Succeeded)
        {
            var first = result.Errors[0];
            var exists = result.Errors.Any(e => e.Code is "model.exists" or "id.duplicate");
            var where = ModelUploadResult.DocumentIndex(first.Source) is { } index ? $"models[{index}] {first.Path}" : first.Path;
            var message = $"{where}: {first.Message}" + (result.Errors.Length > 1 ? $" (and {result.Errors.Length - 1} more: " + string.Join("; ", result.Errors.Skip(1).Take(5).Select(e => e.Message)) + ")" : "");
            throw new AdtException(exists ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, exists ? "ModelAlreadyExists" : "DTDLParserError", message);
        }

        var repository = grains.GetModelRepository();
        var uploaded = new List<AdtModelData>();
        foreach (var id in result.Uploaded)
        {
            if (await repository.Get(id) is { } definition)
            {
                uploaded.Add(ToData(definition.Info, null));
            }
        }

        return TypedResults.Created((string?)null, (IReadOnlyList<AdtModelData>)uploaded);
    }

    private static async Task<Ok<AdtModelPage>> List(HttpRequest request, IGrainFactory grains, bool? includeModelDefinition, CancellationToken ct)
    {
        var repository = grains.GetModelRepository();
        var all = await repository.List();
        IEnumerable<ModelInfo> selected = all.OrderBy(m => m.UploadedAt).ThenBy(m => m.Id, StringComparer.Ordinal);
        var dependenciesFor = request.Query["dependenciesFor"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (dependenciesFor.Count > 0)
        {
            var byId = all.ToDictionary(m => m.Id, StringComparer.Ordinal);
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(dependenciesFor);
            while (pending.TryPop(out var id))
            {
                if (!byId.TryGetValue(id, out var info))
                {
                    throw new AdtException(StatusCodes.Status404NotFound, "ModelNotFound", $"dependenciesFor: model '{id}' is not in the model repository.");
                }

                if (wanted.Add(id))
                {
                    foreach (var dependency in info.Dependencies)
                    {
                        pending.Push(dependency);
                    }
                }
            }

            selected = selected.Where(m => wanted.Contains(m.Id));
        }

        var (page, next) = AdtPaging.Page(request, selected.ToList());
        var value = new List<AdtModelData>(page.Count);
        foreach (var info in page)
        {
            value.Add(includeModelDefinition == true && await repository.Get(info.Id) is { } d ? ToData(d.Info, d.Json) : ToData(info, null));
        }

        return TypedResults.Ok(new AdtModelPage(value, next));
    }

    private static async Task<Ok<AdtModelData>> Get(string id, IGrainFactory grains, bool? includeModelDefinition)
    {
        var definition = await grains.GetModelRepository().Get(id) ?? throw NotFound(id);
        return TypedResults.Ok(ToData(definition.Info, includeModelDefinition == false ? null : definition.Json));
    }

    private static async Task<NoContent> Decommission(string id, HttpRequest request, IGrainFactory grains, ApiOptions options, CancellationToken ct)
    {
        var patch = (JsonArray)await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Array, ct);
        var valid = patch.Count == 1 && patch[0] is JsonObject op && (string?)op["op"] == "replace" && (string?)op["path"] == "/decommissioned"
            && op["value"]?.GetValueKind() == JsonValueKind.True;
        if (!valid)
        {
            throw AdtException.BadRequest("The only model update is [{\"op\":\"replace\",\"path\":\"/decommissioned\",\"value\":true}].");
        }

        _ = await grains.GetModelRepository().Get(id) ?? throw NotFound(id);
        await grains.GetModelRepository().Decommission(id);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> Delete(string id, IGrainFactory grains)
    {
        _ = await grains.GetModelRepository().Get(id) ?? throw NotFound(id);
        await grains.GetModelRepository().Delete(id);
        return TypedResults.NoContent();
    }

    private static AdtException NotFound(string id) => new(StatusCodes.Status404NotFound, "ModelNotFound", $"There is no model with the ID {id}.");

    private static AdtModelData ToData(ModelInfo info, string? json) => new(
        info.Id,
        info.DisplayName is null ? null : new Dictionary<string, string> { ["en"] = info.DisplayName },
        info.UploadedAt,
        info.Decommissioned,
        json is null ? null : JsonNode.Parse(json));
}
