using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Adt;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>ADT's relationships: one by id (get, put, patch, delete), the list of a twin's, and its incoming ones.</summary>
public static class AdtRelationshipEndpoints
{
    public static RouteGroupBuilder MapAdtRelationshipEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id}/relationships", List).RequireTwinRead().Produces<AdtPage<JsonObject>>()
            .WithSummary("A twin's outgoing relationships, optionally only those named relationshipName.").ProducesAdtErrors(404);
        group.MapGet("/{id}/incomingrelationships", Incoming).RequireTwinRead().Produces<AdtPage<AdtIncomingRelationship>>()
            .WithSummary("The relationships other twins hold to this one.").ProducesAdtErrors(404);
        group.MapGet("/{id}/relationships/{relationshipId}", Get).RequireTwinRead().Produces<JsonObject>().WithSummary("One relationship.").ProducesAdtErrors(404);
        group.MapPut("/{id}/relationships/{relationshipId}", Put).RequireTwinWrite("relationship.put").Accepts<JsonObject>("application/json").Produces<JsonObject>()
            .WithSummary("Creates a relationship ($targetId, $relationshipName, properties) or replaces its properties; If-None-Match: * creates only.")
            .ProducesAdtErrors(400, 404, 412);
        group.MapPatch("/{id}/relationships/{relationshipId}", Patch).RequireTwinWrite("relationship.patch").Accepts<JsonArray>("application/json-patch+json", "application/json")
            .WithSummary("Applies a JSON Patch to a relationship's properties; If-Match checks its ETag.").ProducesAdtErrors(400, 404, 412);
        group.MapDelete("/{id}/relationships/{relationshipId}", Delete).RequireTwinWrite("relationship.delete").WithSummary("Deletes a relationship; If-Match checks its ETag.")
            .ProducesAdtErrors(404, 412);
        return group;
    }

    private static async Task<AdtJsonResult> List(string id, string? relationshipName, HttpRequest request, AdtTwinService twins)
    {
        var twin = await twins.GetAsync(id);
        var selected = twin.Relationships.Where(r => relationshipName is null || r.Name == relationshipName).ToList();
        var (page, next) = AdtPaging.Page(request, selected);
        var json = AdtJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("value");
            foreach (var relationship in page)
            {
                AdtJson.WriteRelationship(writer, relationship);
            }

            writer.WriteEndArray();
            writer.WriteString("nextLink", next);
            writer.WriteEndObject();
        });
        return new AdtJsonResult(json, null);
    }

    private static async Task<Ok<AdtPage<AdtIncomingRelationship>>> Incoming(string id, HttpRequest request, AdtTwinService twins)
    {
        var twin = await twins.GetAsync(id);
        var readable = await ApiAccess.ReadableAsync(request.HttpContext);
        var (page, next) = AdtPaging.Page(request, readable is null ? twin.Incoming : [.. twin.Incoming.Where(i => readable.Contains(i.SourceId))]);
        return TypedResults.Ok(new AdtPage<AdtIncomingRelationship>(
            [.. page.Select(i => new AdtIncomingRelationship(i.RelationshipId, i.SourceId, i.Name,
                $"/digitaltwins/{Uri.EscapeDataString(i.SourceId)}/relationships/{Uri.EscapeDataString(i.RelationshipId)}"))],
            next));
    }

    private static async Task<AdtJsonResult> Get(string id, string relationshipId, AdtTwinService twins)
    {
        var relationship = await twins.GetRelationshipAsync(id, relationshipId);
        return new AdtJsonResult(AdtJson.Relationship(relationship), AdtJson.RelationshipETag(relationship));
    }

    private static async Task<AdtJsonResult> Put(string id, string relationshipId, HttpRequest request, AdtTwinService twins, ApiOptions options, CancellationToken ct)
    {
        var body = (JsonObject)await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Object, ct);
        if (body["$targetId"] is JsonValue target && target.TryGetValue<string>(out var targetId))
        {
            // Containing a twin puts it in the source's subtree, so it needs the right to write it; any other
            // relationship needs only the right to read its target.
            var contains = body["$relationshipName"] is JsonValue name && name.TryGetValue<string>(out var n) && n == TwinCluster.Grains.Interfaces.RelationshipNames.Contains;
            await ApiAccess.DemandAsync(request.HttpContext, contains ? TwinCluster.Grains.Security.SecurityOperation.Write : TwinCluster.Grains.Security.SecurityOperation.Read, targetId);
        }

        var relationship = await twins.PutRelationshipAsync(id, relationshipId, body, AdtRequest.IfNoneMatchAny(request), AdtRequest.IfMatch(request));
        return new AdtJsonResult(AdtJson.Relationship(relationship), AdtJson.RelationshipETag(relationship));
    }

    private static async Task<NoContent> Patch(string id, string relationshipId, HttpRequest request, AdtTwinService twins, ApiOptions options, CancellationToken ct)
    {
        var patch = await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Array, ct);
        var relationship = await twins.PatchRelationshipAsync(id, relationshipId, patch.ToJsonString(), AdtRequest.IfMatch(request));
        request.HttpContext.Response.Headers.ETag = AdtJson.RelationshipETag(relationship);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> Delete(string id, string relationshipId, HttpRequest request, AdtTwinService twins)
    {
        await twins.DeleteRelationshipAsync(id, relationshipId, AdtRequest.IfMatch(request));
        return TypedResults.NoContent();
    }
}
