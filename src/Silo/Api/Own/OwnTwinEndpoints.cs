using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;
using TwinCluster.Silo.Api.Auth;
using TwinCluster.Wire;

namespace TwinCluster.Silo.Api.Own;

/// <summary>
/// <c>/api/v1/twins</c> and <c>/api/v1/query</c>: twins as the <c>twin</c> CLI works with them. Beside the Azure Digital
/// Twins paths these answer with TwinCluster's own shapes (a twin with its relationships both ways and its history time,
/// a relationship's ETag check on its source, a cascading delete, the subtree, the CLI's structured query) and
/// TwinCluster's own error codes, so the CLI prints over HTTP exactly what it printed through the gateway.
/// </summary>
public static class OwnTwinEndpoints
{
    public static RouteGroupBuilder MapOwnTwinEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id}", Get).RequireTwinRead()
            .WithSummary("A twin with its relationships and incoming relationships; asOf=ISO time shows it as it was then (from its change history).")
            .ProducesProblem(404).ProducesProblem(400);
        group.MapPost("", Create).RequireTwinWrite("twin.create", null)
            .WithSummary("Creates a twin {id, model, properties}; refused (409) when it exists.").ProducesProblem(400).ProducesProblem(409);
        group.MapPut("/{id}/properties", Replace).RequireTwinWrite("twin.replace")
            .WithSummary("Replaces all properties of a twin with the body (a JSON object); If-Match checks the ETag.").ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
        group.MapPatch("/{id}", Patch).RequireTwinWrite("twin.patch")
            .WithSummary("Applies a JSON Patch to the twin's properties, all or nothing; If-Match checks the ETag.").ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
        group.MapDelete("/{id}", Delete).RequireTwinWrite("twin.delete")
            .WithSummary("Deletes a twin; refused while it has relationships unless cascade=true (then they go too, both ways). If-Match checks the ETag.")
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        group.MapGet("/{id}/tree", Tree).RequireTwinRead().WithSummary("The subtree under the twin through 'contains', root first.").ProducesProblem(404);
        group.MapGet("/{id}/relationships", Relationships).RequireTwinRead()
            .WithSummary("The twin's relationships (name= only those of a name).").ProducesProblem(404);
        group.MapGet("/{id}/incoming", Incoming).RequireTwinRead()
            .WithSummary("The relationships other twins hold to this one (name= only those of a name).").ProducesProblem(404);
        group.MapPut("/{id}/relationships/{relationshipId}", AddRelationship).RequireTwinWrite("relationship.add")
            .WithSummary("Adds a relationship {name, target, properties} held by the twin; both ends are updated. If-Match checks the source's ETag.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        group.MapDelete("/{id}/relationships/{relationshipId}", RemoveRelationship).RequireTwinWrite("relationship.remove")
            .WithSummary("Removes a relationship from both ends; If-Match checks the source's ETag.").ProducesProblem(404).ProducesProblem(412);
        return group;
    }

    public static RouteGroupBuilder MapOwnQueryEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("", Query).RequireTwinRead(null)
            .WithSummary("The CLI's query: model (with subtypes), property filters, ancestor, a page at a time. A scoped principal gets its subtrees' twins only.")
            .ProducesProblem(400);
        return group;
    }

    private static ITwinGrain Twin(IGrainFactory grains, string id) =>
        TwinId.Check(id) is { } problem ? throw new TwinOperationException(TwinErrorCode.Invalid, problem) : grains.GetTwin(new TwinId(id));

    private static string? IfMatch(HttpRequest request) => request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value : null;

    private static async Task<Ok<TwinSnapshot>> Get(string id, string? asOf, HttpContext http, IGrainFactory grains)
    {
        TwinSnapshot? twin;
        if (asOf is not null)
        {
            var at = OwnHistoryEndpoints.ParseTime(asOf, "asOf");
            twin = await grains.GetGrain<IHistoryGrain>(0).AsOf(id, at)
                ?? throw new TwinOperationException(TwinErrorCode.NotFound, $"twin '{id}' did not exist at {at:O} (or no history of it is kept)");
        }
        else
        {
            twin = await Twin(grains, id).Get() ?? throw TwinOperationException.TwinNotFound(id);
        }

        return TypedResults.Ok(await Visible(http, twin));
    }

    private static async Task<Created<TwinSnapshot>> Create(TwinCreateRequest request, HttpContext http, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(request.Id))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "id is required: the new twin's id");
        }

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "model is required: the DTMI of the twin's model");
        }

        // The route carries no id, so the write right is checked here, on the twin to be (as the ADT PUT does).
        await ApiAccess.DemandAsync(http, SecurityOperation.Write, request.Id);
        var properties = request.Properties is { ValueKind: JsonValueKind.Object } p ? p.GetRawText()
            : request.Properties is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } ? "{}"
            : throw new TwinOperationException(TwinErrorCode.Invalid, "properties must be a JSON object");
        var twin = await Twin(grains, request.Id).Create(request.Model, properties);
        return TypedResults.Created($"{ApiHostingExtensions.OwnPrefix}/twins/{Uri.EscapeDataString(twin.Id)}", twin);
    }

    private static async Task<Ok<TwinSnapshot>> Replace(string id, JsonElement properties, HttpRequest request, IGrainFactory grains)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "the body must be a JSON object: all properties of the twin");
        }

        return TypedResults.Ok(await Visible(request.HttpContext, await Twin(grains, id).Replace(properties.GetRawText(), IfMatch(request))));
    }

    private static async Task<Ok<TwinSnapshot>> Patch(string id, JsonElement patch, HttpRequest request, IGrainFactory grains)
    {
        if (patch.ValueKind != JsonValueKind.Array)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "the body must be a JSON Patch array");
        }

        return TypedResults.Ok(await Visible(request.HttpContext, await Twin(grains, id).Patch(patch.GetRawText(), IfMatch(request))));
    }

    private static async Task<Ok<TwinDeleted>> Delete(string id, bool? cascade, HttpRequest request, IGrainFactory grains)
    {
        var twin = Twin(grains, id);
        if (cascade == true)
        {
            // A cascade also changes the twins at the other ends of its relationships: the principal must be allowed to write those too.
            var snapshot = await twin.Get() ?? throw TwinOperationException.TwinNotFound(id);
            foreach (var other in snapshot.Relationships.Select(r => r.TargetId).Concat(snapshot.Incoming.Select(i => i.SourceId)).Distinct(StringComparer.Ordinal))
            {
                await ApiAccess.DemandAsync(request.HttpContext, SecurityOperation.Write, other);
            }
        }

        var removed = await twin.Delete(IfMatch(request), cascade == true);
        return TypedResults.Ok(new TwinDeleted(id, removed));
    }

    private static async Task<Ok<ImmutableArray<IndexEntry>>> Tree(string id, HttpContext http, IGrainFactory grains)
    {
        _ = await Twin(grains, id).Get() ?? throw TwinOperationException.TwinNotFound(id);
        var subtree = await grains.GetQueries().Subtree(id);
        return TypedResults.Ok(await ApiAccess.ReadableAsync(http) is { } readable ? [.. subtree.Where(e => readable.Contains(e.TwinId))] : subtree);
    }

    private static async Task<Ok<ImmutableArray<Relationship>>> Relationships(string id, string? name, IGrainFactory grains)
    {
        var twin = Twin(grains, id);
        _ = await twin.Get() ?? throw TwinOperationException.TwinNotFound(id);
        return TypedResults.Ok(await twin.GetRelationships(name));
    }

    private static async Task<Ok<ImmutableArray<IncomingRelationship>>> Incoming(string id, string? name, HttpContext http, IGrainFactory grains)
    {
        var twin = Twin(grains, id);
        _ = await twin.Get() ?? throw TwinOperationException.TwinNotFound(id);
        var incoming = await twin.GetIncoming(name);
        return TypedResults.Ok(await ApiAccess.ReadableAsync(http) is { } readable ? [.. incoming.Where(i => readable.Contains(i.SourceId))] : incoming);
    }

    private static async Task<Ok<Relationship>> AddRelationship(string id, string relationshipId, RelationshipAddRequest request, HttpRequest http, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Target))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "name and target are required: the relationship's name and its target twin");
        }

        // As on the ADT path: containing a twin puts it in the source's subtree (write right on it); any other relationship needs only to read it.
        await ApiAccess.DemandAsync(http.HttpContext, request.Name == RelationshipNames.Contains ? SecurityOperation.Write : SecurityOperation.Read, request.Target);
        var properties = request.Properties is { ValueKind: JsonValueKind.Object } p ? p.GetRawText()
            : request.Properties is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } ? "{}"
            : throw new TwinOperationException(TwinErrorCode.Invalid, "properties must be a JSON object");
        return TypedResults.Ok(await Twin(grains, id).AddRelationship(relationshipId, request.Name, request.Target, properties, IfMatch(http)));
    }

    private static async Task<NoContent> RemoveRelationship(string id, string relationshipId, HttpRequest request, IGrainFactory grains)
    {
        await Twin(grains, id).RemoveRelationship(relationshipId, IfMatch(request));
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TwinQueryPage>> Query(TwinQuery query, HttpContext http, IGrainFactory grains)
    {
        var normalized = query with { Filters = query.Filters.IsDefault ? [] : query.Filters };
        var page = await grains.GetQueries().Query(normalized);
        return TypedResults.Ok(await ApiAccess.ReadableAsync(http) is { } readable
            ? page with { Items = [.. page.Items.Where(e => readable.Contains(e.TwinId))] }
            : page);
    }

    /// <summary>A scoped principal sees the incoming relationships of twins it may read only.</summary>
    private static async Task<TwinSnapshot> Visible(HttpContext http, TwinSnapshot twin) =>
        await ApiAccess.ReadableAsync(http) is { } readable ? twin with { Incoming = [.. twin.Incoming.Where(i => readable.Contains(i.SourceId))] } : twin;
}

/// <summary>A new twin: its id, model and properties.</summary>
public sealed record TwinCreateRequest(string Id, string Model, JsonElement? Properties);

/// <summary>A new relationship: its name, target and properties.</summary>
public sealed record RelationshipAddRequest(string Name, string Target, JsonElement? Properties);

/// <summary>What a delete removed: the twin, and how many relationships went with it.</summary>
public sealed record TwinDeleted(string Deleted, int RelationshipsRemoved);
