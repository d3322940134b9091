using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Adt;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>ADT's components: <c>/digitaltwins/{id}/components/{name}</c>, read and JSON-patched in place.</summary>
public static class AdtComponentEndpoints
{
    public static RouteGroupBuilder MapAdtComponentEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id}/components/{name}", Get).RequireTwinRead().Produces<JsonObject>().WithSummary("One component with its $metadata.").ProducesAdtErrors(404);
        group.MapPatch("/{id}/components/{name}", Patch).RequireTwinWrite("component.patch").Accepts<JsonArray>("application/json-patch+json", "application/json")
            .WithSummary("A JSON Patch with paths relative to the component; If-Match checks the twin's ETag.").ProducesAdtErrors(400, 404, 412);
        return group;
    }

    private static async Task<AdtJsonResult> Get(string id, string name, AdtTwinService twins)
    {
        var twin = await twins.GetAsync(id);
        var component = AdtJson.Component(twin, name)
            ?? throw new AdtException(StatusCodes.Status404NotFound, "ComponentNotFound", $"Twin {id} has no component '{name}'.");
        return new AdtJsonResult(component, AdtJson.ETag(twin.ETag));
    }

    private static async Task<NoContent> Patch(string id, string name, HttpRequest request, AdtTwinService twins, ApiOptions options, CancellationToken ct)
    {
        var patch = (JsonArray)await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Array, ct);
        var twin = await twins.PatchComponentAsync(id, name, patch, AdtRequest.IfMatch(request));
        request.HttpContext.Response.Headers.ETag = AdtJson.ETag(twin.ETag);
        return TypedResults.NoContent();
    }
}
