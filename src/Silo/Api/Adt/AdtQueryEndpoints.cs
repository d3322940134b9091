using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Adt;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>ADT's <c>POST /query</c>: the query language, a page at a time with <c>continuationToken</c>.</summary>
public static class AdtQueryEndpoints
{
    public static RouteGroupBuilder MapAdtQueryEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("", Query).Accepts<AdtQuerySpecification>("application/json").Produces<AdtPage<JsonObject>>()
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
        var page = await grains.GetGrain<IDigitalTwinsQueryGrain>(0).Run(query ?? "", token, size);
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
