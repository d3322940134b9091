using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Adt;
using TwinCluster.Grains.Interfaces;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>ADT's <c>POST /query</c>: the query language, a page at a time with <c>continuationToken</c>.</summary>
public static class AdtQueryEndpoints
{
    public static RouteGroupBuilder MapAdtQueryEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("", Query).RequireTwinRead(null).Accepts<AdtQuerySpecification>("application/json").Produces<AdtPage<JsonObject>>()
            .WithSummary("Runs a query ({\"query\": …} or {\"continuationToken\": …}); max-items-per-page sets the page size; a bad query is a 400 naming its position.")
            .ProducesAdtErrors(400);
        return group;
    }

    private static async Task<AdtJsonResult> Query(HttpRequest request, IGrainFactory grains, ApiOptions options, CancellationToken ct)
    {
        var body = (JsonObject)await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Object, ct);
        var query = Text(body, "query");
        var token = Text(body, "continuationToken");
        if (string.IsNullOrWhiteSpace(query) && token is null)
        {
            throw AdtException.BadRequest("query is required (or continuationToken from the previous page).", "BadRequest");
        }

        var size = request.Headers.ContainsKey("max-items-per-page") ? AdtPaging.PageSize(request) : 0;
        // A scoped principal's query sees only its subtrees: rows with any twin outside them are left out.
        var readable = await Auth.ApiAccess.ReadableAsync(request.HttpContext);
        var page = readable is null
            ? await grains.GetGrain<IDigitalTwinsQueryGrain>(0).Run(query ?? "", token, size)
            : await grains.GetGrain<IDigitalTwinsQueryGrain>(0).RunWithin(query ?? "", token, size, [.. readable]);
        var json = AdtJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("value");
            foreach (var item in page.Items)
            {
                writer.WriteRawValue(item, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteString("continuationToken", page.ContinuationToken);
            writer.WriteEndObject();
        });
        request.HttpContext.Response.Headers["query-charge"] = "1";
        return new AdtJsonResult(json, null);
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] switch
        {
            null => null,
            var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
            var node when node.GetValueKind() == JsonValueKind.Null => null,
            _ => throw AdtException.BadRequest($"{name} must be a string.", "BadRequest"),
        };
}
