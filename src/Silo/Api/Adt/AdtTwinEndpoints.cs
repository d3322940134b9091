using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Adt;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>ADT's <c>/digitaltwins/{id}</c>: get, create or replace (If-None-Match: *), JSON Patch and delete (If-Match).</summary>
public static class AdtTwinEndpoints
{
    public static RouteGroupBuilder MapAdtTwinEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id}", Get).RequireTwinRead().Produces<JsonObject>().WithSummary("A twin with $dtId, $etag and $metadata; asOf=ISO time (TwinCluster's addition) shows it as it was then, from its change history.").ProducesAdtErrors(404);
        group.MapPut("/{id}", Put).RequireTwinWrite("twin.put").Accepts<JsonObject>("application/json").Produces<JsonObject>()
            .WithSummary("Creates a twin ($metadata.$model required) or replaces its properties; If-None-Match: * creates only.").ProducesAdtErrors(400, 412);
        group.MapPatch("/{id}", Patch).RequireTwinWrite("twin.patch").Accepts<JsonArray>("application/json-patch+json", "application/json")
            .WithSummary("Applies a JSON Patch to the twin's properties, all or nothing; If-Match checks the ETag.").ProducesAdtErrors(400, 404, 412);
        group.MapDelete("/{id}", Delete).RequireTwinWrite("twin.delete").WithSummary("Deletes a twin that has no relationships; If-Match checks the ETag.").ProducesAdtErrors(400, 404, 412);
        return group;
    }

    // asOf (TwinCluster's own addition to ADT's GET): the twin as it was then, from its change history.
    private static async Task<AdtJsonResult> Get(string id, string? asOf, AdtTwinService twins)
    {
        return asOf is null ? AdtJsonResult.Twin(await twins.GetDocumentAsync(id)) : AdtJsonResult.Twin(await twins.GetAsOfAsync(id, asOf));
    }

    private static async Task<AdtJsonResult> Put(string id, HttpRequest request, AdtTwinService twins, ApiOptions options, CancellationToken ct)
    {
        var body = (JsonObject)await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Object, ct);
        var twin = await twins.PutAsync(id, body, AdtRequest.IfNoneMatchAny(request));
        return AdtJsonResult.Twin(twin);
    }

    private static async Task<NoContent> Patch(string id, HttpRequest request, AdtTwinService twins, ApiOptions options, CancellationToken ct)
    {
        var patch = await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Array, ct);
        var twin = await twins.PatchAsync(id, patch.ToJsonString(), AdtRequest.IfMatch(request));
        request.HttpContext.Response.Headers.ETag = AdtJson.ETag(twin.ETag);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> Delete(string id, HttpRequest request, AdtTwinService twins)
    {
        await twins.DeleteAsync(id, AdtRequest.IfMatch(request));
        return TypedResults.NoContent();
    }
}
