using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Adt;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Json;
using TwinCluster.Wire;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>
/// The ADT twin and relationship operations over the twin grains: ADT's documents in, the grains' calls, ADT's
/// documents out. Relationship ETags are digests of the relationship (<see cref="AdtJson.RelationshipETag"/>); a write
/// checks it, then passes the source twin's ETag to the grain so a change in between is refused, not overwritten.
/// </summary>
public sealed class AdtTwinService(IGrainFactory grains)
{
    private static readonly HashSet<string> TwinSystemMembers = new(StringComparer.Ordinal) { "$dtId", "$etag", "$metadata" };

    // GetGrain<ITwinGrain>(id) resolves the interface's grain type by reflection on every call (6% of the silo's CPU
    // per HTTPS read, measured with perf); the type and interface are the same for every twin, so resolve them once.
    private readonly Lazy<(GrainType Type, GrainInterfaceType Interface)> _twinType = new(() =>
        grains.GetGrain<ITwinGrain>("-") is GrainReference prototype
            ? (prototype.GrainId.Type, prototype.InterfaceType)
            : throw new InvalidOperationException("a twin grain reference is not a GrainReference"));

    public async Task<TwinSnapshot> GetAsync(string id) =>
        await Twin(id).Get() ?? throw AdtException.TwinNotFound(id);

    /// <summary>The twin as ADT's JSON, as the twin keeps it written (the point read's path: nothing is rebuilt per read).</summary>
    public async Task<AdtTwinDocument> GetDocumentAsync(string id) =>
        await Twin(id).GetAdtDocument() ?? throw AdtException.TwinNotFound(id);

    /// <summary>
    /// The twin as it was at <paramref name="asOf"/> (an ISO 8601 time; without an offset, UTC), from its change
    /// history: 404 when it did not exist then or no history of it is kept, 400 naming <c>asOf</c> when the time is bad.
    /// </summary>
    public async Task<TwinSnapshot> GetAsOfAsync(string id, string asOf)
    {
        if (TwinId.Check(id) is { } problem)
        {
            throw AdtException.BadRequest(problem);
        }

        if (!Own.OwnHistoryEndpoints.TryParseTime(asOf, out var at))
        {
            throw AdtException.BadRequest(Own.OwnHistoryEndpoints.TimeProblem(asOf, "asOf") + ".");
        }

        return await grains.GetGrain<IHistoryGrain>(0).AsOf(id, at)
            ?? throw new AdtException(StatusCodes.Status404NotFound, "DigitalTwinNotFound",
                $"There is no digital twin instance with the ID {id} at {at.UtcDateTime:O} (it did not exist then, or no history of it is kept).");
    }

    /// <summary>Creates the twin or replaces its properties; <paramref name="createOnly"/> is <c>If-None-Match: *</c>.</summary>
    public async Task<TwinSnapshot> PutAsync(string id, JsonObject body, bool createOnly)
    {
        if (TwinId.Check(id) is { } problem)
        {
            throw AdtException.BadRequest(problem);
        }

        var model = (body["$metadata"] as JsonObject)?["$model"];
        if (model?.GetValueKind() != JsonValueKind.String || model.GetValue<string>().Length == 0)
        {
            throw AdtException.BadRequest("$metadata.$model is required: the DTMI of the twin's model.", "ValidationFailed");
        }

        var modelId = model.GetValue<string>();
        var properties = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (!TwinSystemMembers.Contains(name))
            {
                properties[name] = Component(value?.DeepClone());
            }
        }

        var text = properties.ToJsonString();
        var grain = Twin(id);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await grain.Get();
            if (existing is null)
            {
                try
                {
                    return await grain.Create(modelId, text);
                }
                catch (TwinOperationException ex) when (ex.Code == TwinErrorCode.AlreadyExists && attempt == 0)
                {
                    continue;
                }
            }

            if (createOnly)
            {
                throw AdtException.PreconditionFailed($"If-None-Match: * was given and twin {id} exists.");
            }

            if (existing.ModelId != modelId)
            {
                throw AdtException.BadRequest($"$metadata.$model: twin {id} is a '{existing.ModelId}'; replacing it with a '{modelId}' is not supported (delete and create it).", "ValidationFailed");
            }

            return await grain.Replace(text, null);
        }
    }

    public Task<TwinSnapshot> PatchAsync(string id, string patch, string? ifMatch)
    {
        CheckModelNotPatched(patch);
        return Twin(id).Patch(patch, ifMatch);
    }

    /// <summary>A JSON Patch of one component: its paths are taken below <c>/{component}</c>.</summary>
    public async Task<TwinSnapshot> PatchComponentAsync(string id, string component, JsonArray patch, string? ifMatch)
    {
        var twin = await GetAsync(id);
        if (AdtJson.Component(twin, component) is null)
        {
            throw new AdtException(StatusCodes.Status404NotFound, "ComponentNotFound", $"Twin {id} has no component '{component}'.");
        }

        var prefix = "/" + component.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
        foreach (var operation in patch)
        {
            if (operation is JsonObject o)
            {
                foreach (var key in new[] { "path", "from" })
                {
                    if (o[key]?.GetValueKind() == JsonValueKind.String)
                    {
                        o[key] = prefix + o[key]!.GetValue<string>();
                    }
                }
            }
        }

        return await Twin(id).Patch(patch.ToJsonString(), ifMatch);
    }

    public async Task DeleteAsync(string id, string? ifMatch)
    {
        _ = await GetAsync(id);
        await Twin(id).Delete(ifMatch, cascade: false);
    }

    public async Task<Relationship> GetRelationshipAsync(string id, string relationshipId)
    {
        var twin = await GetAsync(id);
        return twin.Relationships.FirstOrDefault(r => r.Id == relationshipId) ?? throw AdtException.RelationshipNotFound(id, relationshipId);
    }

    /// <summary>Creates the relationship, or replaces one of that id (same name and target: its properties; else anew).</summary>
    public async Task<Relationship> PutRelationshipAsync(string id, string relationshipId, JsonObject body, bool createOnly, string? ifMatch)
    {
        var target = body["$targetId"];
        var name = body["$relationshipName"];
        if (target?.GetValueKind() != JsonValueKind.String || target.GetValue<string>().Length == 0)
        {
            throw AdtException.BadRequest("$targetId is required: the id of the twin the relationship points to.", "InvalidRelationship");
        }

        if (name?.GetValueKind() != JsonValueKind.String || name.GetValue<string>().Length == 0)
        {
            throw AdtException.BadRequest("$relationshipName is required.", "InvalidRelationship");
        }

        var properties = new JsonObject();
        foreach (var (key, value) in body)
        {
            if (!key.StartsWith('$'))
            {
                properties[key] = value?.DeepClone();
            }
        }

        var twin = await GetAsync(id);
        var existing = twin.Relationships.FirstOrDefault(r => r.Id == relationshipId);
        if (existing is null)
        {
            if (ifMatch is not null and not "*")
            {
                throw AdtException.PreconditionFailed($"If-Match was given and twin {id} has no relationship {relationshipId}.");
            }

            return await Twin(id).AddRelationship(relationshipId, name.GetValue<string>(), target.GetValue<string>(), properties.ToJsonString(), twin.ETag);
        }

        if (createOnly)
        {
            throw AdtException.PreconditionFailed($"If-None-Match: * was given and relationship {relationshipId} of twin {id} exists.");
        }

        CheckRelationshipETag(existing, ifMatch);
        if (existing.Name == name.GetValue<string>() && existing.TargetId == target.GetValue<string>())
        {
            return await Twin(id).UpdateRelationship(relationshipId, properties.ToJsonString(), twin.ETag);
        }

        throw AdtException.BadRequest($"Relationship {relationshipId} of twin {id} is a '{existing.Name}' to '{existing.TargetId}'; its name and target cannot change (delete it and create it again).", "InvalidRelationship");
    }

    public async Task<Relationship> PatchRelationshipAsync(string id, string relationshipId, string patch, string? ifMatch)
    {
        var twin = await GetAsync(id);
        var existing = twin.Relationships.FirstOrDefault(r => r.Id == relationshipId) ?? throw AdtException.RelationshipNotFound(id, relationshipId);
        CheckRelationshipETag(existing, ifMatch);
        var patched = JsonPatch.Apply(JsonText.ParseObject(existing.PropertiesJson, "relationship properties"), patch);
        return await Twin(id).UpdateRelationship(relationshipId, JsonText.Write(patched), twin.ETag);
    }

    public async Task DeleteRelationshipAsync(string id, string relationshipId, string? ifMatch)
    {
        var twin = await GetAsync(id);
        var existing = twin.Relationships.FirstOrDefault(r => r.Id == relationshipId) ?? throw AdtException.RelationshipNotFound(id, relationshipId);
        CheckRelationshipETag(existing, ifMatch);
        await Twin(id).RemoveRelationship(relationshipId, twin.ETag);
    }

    private ITwinGrain Twin(string id)
    {
        var (type, @interface) = _twinType.Value;
        return (ITwinGrain)grains.GetGrain(GrainId.Create(type, id), @interface);
    }

    private static void CheckRelationshipETag(Relationship relationship, string? ifMatch)
    {
        if (ifMatch is not null and not "*" && AdtRequest.BareETag(AdtJson.RelationshipETag(relationship)) != ifMatch)
        {
            throw AdtException.PreconditionFailed($"If-Match {ifMatch} is stale: relationship {relationship.Id} is now at {AdtJson.RelationshipETag(relationship)}.");
        }
    }

    /// <summary>A component written as ADT asks keeps an empty <c>$metadata</c> marker; what a client sent in it is ADT's output, not state.</summary>
    private static JsonNode? Component(JsonNode? value)
    {
        if (value is JsonObject o && o["$metadata"] is JsonObject)
        {
            o["$metadata"] = new JsonObject();
        }

        return value;
    }

    private static void CheckModelNotPatched(string patch)
    {
        if (patch.Contains("$model", StringComparison.Ordinal))
        {
            throw AdtException.BadRequest("/$metadata/$model: changing a twin's model by patch is not supported (delete and create it).", "ValidationFailed");
        }
    }
}
