using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xunit;
using static TwinCluster.Integration.Tests.Api.ApiSilo;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>The ADT data plane over plain HttpClient against a real silo: every endpoint, its errors and bad input.</summary>
[Collection(ApiCollection.Name)]
public sealed class AdtHttpTests(ApiSilo api) : IAsyncLifetime
{
    private const string Turbine = "dtmi:twincluster:windfarm:Turbine;1";
    private const string Bearing = "dtmi:twincluster:windfarm:Bearing;1";
    private readonly string _p = "h" + Guid.NewGuid().ToString("N")[..6] + "-";

    public async ValueTask InitializeAsync() => await api.UploadStarterModelsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> Send(HttpMethod method, string path, string? json = null,
        Action<HttpRequestMessage>? configure = null) =>
        api.SendAsync(method, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + ApiVersion, json, configure);

    private static void IfMatch(HttpRequestMessage request, string etag) => request.Headers.TryAddWithoutValidation("If-Match", etag);

    private async Task<JsonNode> CreateTurbine(string id, string name = "T")
    {
        var (status, body, _) = await Send(HttpMethod.Put, $"/digitaltwins/{id}", $$"""{"$metadata":{"$model":"{{Turbine}}"},"name":"{{name}}","ratedPowerKW":3000}""");
        Assert.True(status == 200, $"create {id}: {status} {body}");
        return body!;
    }

    [Fact]
    public async Task Plain_http_serves_only_the_probes_and_https_serves_the_api()
    {
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.Process.HttpPort}") };
        Assert.Equal(200, (int)(await plain.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
        var refused = await plain.GetAsync($"/models?{ApiVersion}", TestContext.Current.CancellationToken);
        Assert.Equal(404, (int)refused.StatusCode);
        Assert.Contains($"HTTPS port {api.Process.HttpsPort}", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var (status, body, _) = await Send(HttpMethod.Get, "/models");
        Assert.Equal(200, status);
        Assert.NotNull(body!["value"]);
    }

    [Theory]
    [InlineData("api-version=2019-01-01", "InvalidApiVersionParameter", "'2019-01-01'")]
    [InlineData("", "MissingApiVersionParameter", "api-version")]
    public async Task A_missing_or_unknown_api_version_is_a_400_naming_it(string query, string code, string named)
    {
        var (status, body, _) = await api.SendAsync(HttpMethod.Get, "/models?" + query);
        Assert.Equal(400, status);
        Assert.Equal(code, (string?)body!["error"]!["code"]);
        Assert.Contains(named, (string?)body["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_upload_is_atomic_and_models_list_page_and_decommission()
    {
        var good = $$"""{"@context":"dtmi:dtdl:context;2","@id":"dtmi:test:{{_p.TrimEnd('-')}}:A;1","@type":"Interface","contents":[{"@type":"Property","name":"x","schema":"double"}]}""";
        var bad = $$"""{"@context":"dtmi:dtdl:context;2","@id":"dtmi:test:{{_p.TrimEnd('-')}}:B;1","@type":"Interface","contents":[{"@type":"Property","name":"y","schema":"nosuchschema"}]}""";
        var (status, body, _) = await Send(HttpMethod.Post, "/models", $"[{good},{bad}]");
        Assert.Equal(400, status);
        Assert.Equal("DTDLParserError", (string?)body!["error"]!["code"]);
        Assert.Contains("models[1]", (string?)body["error"]!["message"], StringComparison.Ordinal);
        var aId = $"dtmi:test:{_p.TrimEnd('-')}:A;1";
        Assert.Equal(404, (await Send(HttpMethod.Get, $"/models/{aId}")).Status);

        (status, body, _) = await Send(HttpMethod.Post, "/models", $"[{good}]");
        Assert.Equal(201, status);
        Assert.Equal(aId, (string?)body![0]!["id"]);
        (status, body, _) = await Send(HttpMethod.Post, "/models", $"[{good}]");
        Assert.Equal((409, "ModelAlreadyExists"), (status, (string?)body!["error"]!["code"]));

        // Pages of two, followed by nextLink until it is gone, see every model once.
        var seen = new List<string>();
        string? next = $"/models?{ApiVersion}";
        while (next is not null)
        {
            (status, body, _) = await api.SendAsync(HttpMethod.Get, next, configure: r => r.Headers.Add("max-items-per-page", "2"));
            Assert.Equal(200, status);
            Assert.True(body!["value"]!.AsArray().Count <= 2);
            seen.AddRange(body["value"]!.AsArray().Select(m => (string)m!["id"]!));
            next = (string?)body["nextLink"];
        }

        Assert.Contains(aId, seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());

        (status, body, _) = await Send(HttpMethod.Get, $"/models?dependenciesFor={Uri.EscapeDataString(Bearing)}&includeModelDefinition=true");
        var ids = body!["value"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
        Assert.Equal([Bearing, "dtmi:twincluster:windfarm:Component;1"], ids.Order(StringComparer.Ordinal).ToList());
        Assert.All(body["value"]!.AsArray(), m => Assert.NotNull(m!["model"]));

        Assert.Equal(204, (await Send(HttpMethod.Patch, $"/models/{aId}", """[{"op":"replace","path":"/decommissioned","value":true}]""")).Status);
        (status, body, _) = await Send(HttpMethod.Get, $"/models/{aId}");
        Assert.True((bool)body!["decommissioned"]!);
        (status, body, _) = await Send(HttpMethod.Put, $"/digitaltwins/{_p}dec", $$$"""{"$metadata":{"$model":"{{{aId}}}"}}""");
        Assert.Equal((400, "ModelDecommissioned"), (status, (string?)body!["error"]!["code"]));
        Assert.Equal(204, (await Send(HttpMethod.Delete, $"/models/{aId}")).Status);
        (status, body, _) = await Send(HttpMethod.Delete, $"/models/{aId}");
        Assert.Equal((404, "ModelNotFound"), (status, (string?)body!["error"]!["code"]));
    }

    [Fact]
    public async Task Twins_are_created_read_patched_with_etags_and_deleted()
    {
        var id = _p + "wt";
        var created = await CreateTurbine(id, "First");
        Assert.Equal(id, (string?)created["$dtId"]);
        Assert.Equal(Turbine, (string?)created["$metadata"]!["$model"]);
        Assert.NotNull(created["$metadata"]!["name"]!["lastUpdateTime"]);
        var etag = (string)created["$etag"]!;
        Assert.StartsWith("W/\"", etag, StringComparison.Ordinal);

        var (status, body, response) = await Send(HttpMethod.Put, $"/digitaltwins/{id}", $$$"""{"$metadata":{"$model":"{{{Turbine}}}"}}""",
            r => r.Headers.TryAddWithoutValidation("If-None-Match", "*"));
        Assert.Equal((412, "PreconditionFailed"), (status, (string?)body!["error"]!["code"]));

        (status, _, response) = await Send(HttpMethod.Patch, $"/digitaltwins/{id}", """[{"op":"replace","path":"/name","value":"Second"},{"op":"add","path":"/$metadata/name/sourceTime","value":"2026-01-02T03:04:05Z"}]""",
            r => IfMatch(r, etag));
        Assert.Equal(204, status);
        var newEtag = response.Headers.ETag!.ToString();
        Assert.NotEqual(etag, newEtag);
        (status, body, _) = await Send(HttpMethod.Patch, $"/digitaltwins/{id}", """[{"op":"replace","path":"/name","value":"Stale"}]""", r => IfMatch(r, etag));
        Assert.Equal((412, "PreconditionFailed"), (status, (string?)body!["error"]!["code"]));

        (status, body, response) = await Send(HttpMethod.Get, $"/digitaltwins/{id}");
        Assert.Equal(200, status);
        Assert.Equal("Second", (string?)body!["name"]);
        Assert.Equal(newEtag, (string?)body["$etag"]);
        Assert.Equal(newEtag, response.Headers.ETag!.ToString());
        Assert.Equal("2026-01-02T03:04:05.0000000Z", (string?)body["$metadata"]!["name"]!["sourceTime"]);
        Assert.Null(body["$metadata"]!["ratedPowerKW"]!["sourceTime"]);
        Assert.True(string.CompareOrdinal((string)body["$metadata"]!["name"]!["lastUpdateTime"]!, (string)body["$metadata"]!["ratedPowerKW"]!["lastUpdateTime"]!) > 0,
            "the patched property's lastUpdateTime is later than the untouched one's");

        // A patch that breaks the model names the property and changes nothing.
        (status, body, _) = await Send(HttpMethod.Patch, $"/digitaltwins/{id}", """[{"op":"replace","path":"/name","value":"OK"},{"op":"add","path":"/ratedPowerKW","value":"lots"}]""");
        Assert.Equal((400, "ValidationFailed"), (status, (string?)body!["error"]!["code"]));
        Assert.Contains("ratedPowerKW", (string?)body["error"]!["message"], StringComparison.Ordinal);
        (_, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{id}");
        Assert.Equal(("Second", newEtag), ((string?)body!["name"], (string?)body["$etag"]));

        Assert.Equal(204, (await Send(HttpMethod.Delete, $"/digitaltwins/{id}", configure: r => IfMatch(r, newEtag))).Status);
        (status, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{id}");
        Assert.Equal((404, "DigitalTwinNotFound"), (status, (string?)body!["error"]!["code"]));
    }

    [Theory]
    [InlineData("{\"$metadata\":{\"$model\":\"" + Turbine + "\"},\"name\":", "InvalidArgument", "not valid JSON")]
    [InlineData("[1,2]", "InvalidArgument", "must be a JSON object")]
    [InlineData("{\"name\":\"x\"}", "ValidationFailed", "$metadata.$model")]
    [InlineData("{\"$metadata\":{\"$model\":\"" + Turbine + "\"},\"nosuch\":1}", "ValidationFailed", "nosuch")]
    public async Task Bad_twin_bodies_are_a_400_naming_what_is_wrong_and_store_nothing(string json, string code, string named)
    {
        var id = _p + "bad";
        var (status, body, _) = await Send(HttpMethod.Put, $"/digitaltwins/{id}", json);
        Assert.Equal((400, code), (status, (string?)body!["error"]!["code"]));
        Assert.Contains(named, (string?)body["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal(404, (await Send(HttpMethod.Get, $"/digitaltwins/{id}")).Status);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413()
    {
        var big = $$"""{"$metadata":{"$model":"{{Turbine}}"},"name":"{{new string('x', 2 * 1024 * 1024)}}"}""";
        var (status, body, _) = await Send(HttpMethod.Put, $"/digitaltwins/{_p}big", big);
        Assert.Equal((413, "PayloadTooLarge"), (status, (string?)body!["error"]!["code"]));
        Assert.Equal(404, (await Send(HttpMethod.Get, $"/digitaltwins/{_p}big")).Status);
    }

    [Fact]
    public async Task Relationships_are_put_listed_patched_and_deleted_with_their_own_etags()
    {
        var wt = _p + "rwt";
        await CreateTurbine(wt);
        foreach (var part in new[] { "mb", "gb" })
        {
            Assert.Equal(200, (await Send(HttpMethod.Put, $"/digitaltwins/{wt}-{part}", $$$"""{"$metadata":{"$model":"{{{Bearing}}}"}}""")).Status);
            var (s, b, _) = await Send(HttpMethod.Put, $"/digitaltwins/{wt}/relationships/{wt}-has-{part}", $$"""{"$relationshipName":"contains","$targetId":"{{wt}}-{{part}}"}""");
            Assert.True(s == 200, $"relationship: {s} {b}");
            Assert.Equal(wt, (string?)b!["$sourceId"]);
        }

        var (status, body, response) = await Send(HttpMethod.Get, $"/digitaltwins/{wt}/relationships/{wt}-has-mb");
        Assert.Equal((200, $"{wt}-mb"), (status, (string?)body!["$targetId"]));
        var etag = (string)body["$etag"]!;
        Assert.Equal(etag, response.Headers.ETag!.ToString());
        (status, body, _) = await Send(HttpMethod.Put, $"/digitaltwins/{wt}/relationships/{wt}-has-mb", $$"""{"$relationshipName":"contains","$targetId":"{{wt}}-mb"}""",
            r => r.Headers.TryAddWithoutValidation("If-None-Match", "*"));
        Assert.Equal((412, "PreconditionFailed"), (status, (string?)body!["error"]!["code"]));

        (status, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{wt}/relationships?relationshipName=contains");
        Assert.Equal(2, body!["value"]!.AsArray().Count);
        (status, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{wt}/relationships?relationshipName=other");
        Assert.Empty(body!["value"]!.AsArray());
        (status, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{wt}-gb/incomingrelationships");
        var incoming = Assert.Single(body!["value"]!.AsArray());
        Assert.Equal((wt, "contains"), ((string?)incoming!["sourceId"], (string?)incoming["relationshipName"]));

        // A patch of a relationship without properties in its model is refused; a stale relationship ETag too.
        (status, body, _) = await Send(HttpMethod.Patch, $"/digitaltwins/{wt}/relationships/{wt}-has-mb", """[{"op":"add","path":"/since","value":1}]""");
        Assert.Equal(400, status);
        Assert.Contains("since", (string?)body!["error"]!["message"], StringComparison.Ordinal);
        (status, body, _) = await Send(HttpMethod.Delete, $"/digitaltwins/{wt}/relationships/{wt}-has-mb", configure: r => IfMatch(r, "W/\"stale\""));
        Assert.Equal((412, "PreconditionFailed"), (status, (string?)body!["error"]!["code"]));

        // A twin with relationships is not deleted.
        (status, body, _) = await Send(HttpMethod.Delete, $"/digitaltwins/{wt}");
        Assert.Equal((400, "RelationshipsNotDeleted"), (status, (string?)body!["error"]!["code"]));

        Assert.Equal(204, (await Send(HttpMethod.Delete, $"/digitaltwins/{wt}/relationships/{wt}-has-mb", configure: r => IfMatch(r, etag))).Status);
        (status, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{wt}/relationships/{wt}-has-mb");
        Assert.Equal((404, "RelationshipNotFound"), (status, (string?)body!["error"]!["code"]));
        (status, body, _) = await Send(HttpMethod.Put, $"/digitaltwins/{wt}/relationships/x", $$"""{"$relationshipName":"contains","$targetId":"{{_p}}nobody"}""");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Relationship_properties_are_patched_with_the_relationship_etag()
    {
        var model = $"dtmi:test:{_p.TrimEnd('-')}:Linked;1";
        var dtdl = $$"""[{"@context":"dtmi:dtdl:context;2","@id":"{{model}}","@type":"Interface","contents":[{"@type":"Relationship","name":"feeds","properties":[{"@type":"Property","name":"weight","schema":"double"}]}]}]""";
        Assert.Equal(201, (await Send(HttpMethod.Post, "/models", dtdl)).Status);
        foreach (var id in new[] { "a", "b" })
        {
            Assert.Equal(200, (await Send(HttpMethod.Put, $"/digitaltwins/{_p}{id}", $$$"""{"$metadata":{"$model":"{{{model}}}"}}""")).Status);
        }

        var (status, body, _) = await Send(HttpMethod.Put, $"/digitaltwins/{_p}a/relationships/r1", $$"""{"$relationshipName":"feeds","$targetId":"{{_p}}b","weight":1.5}""");
        Assert.Equal((200, 1.5), (status, (double)body!["weight"]!));
        var etag = (string)body["$etag"]!;
        (status, _, var response) = await Send(HttpMethod.Patch, $"/digitaltwins/{_p}a/relationships/r1", """[{"op":"replace","path":"/weight","value":2.5}]""", r => IfMatch(r, etag));
        Assert.Equal(204, status);
        Assert.NotEqual(etag, response.Headers.ETag!.ToString());
        (status, body, _) = await Send(HttpMethod.Patch, $"/digitaltwins/{_p}a/relationships/r1", """[{"op":"replace","path":"/weight","value":9}]""", r => IfMatch(r, etag));
        Assert.Equal(412, status);
        (status, body, _) = await Send(HttpMethod.Patch, $"/digitaltwins/{_p}a/relationships/r1", """[{"op":"replace","path":"/weight","value":"heavy"}]""");
        Assert.Equal(400, status);
        Assert.Contains("weight", (string?)body!["error"]!["message"], StringComparison.Ordinal);
        (_, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{_p}a/relationships/r1");
        Assert.Equal(2.5, (double)body!["weight"]!);
    }

    [Fact]
    public async Task Components_are_read_and_patched_in_place()
    {
        var sensor = $"dtmi:test:{_p.TrimEnd('-')}:Sensor;1";
        var host = $"dtmi:test:{_p.TrimEnd('-')}:Host;1";
        var dtdl = $$"""
            [{"@context":"dtmi:dtdl:context;2","@id":"{{sensor}}","@type":"Interface","contents":[{"@type":"Property","name":"range","schema":"double"}]},
             {"@context":"dtmi:dtdl:context;2","@id":"{{host}}","@type":"Interface","contents":[{"@type":"Component","name":"probe","schema":"{{sensor}}"}]}]
            """;
        Assert.Equal(201, (await Send(HttpMethod.Post, "/models", dtdl)).Status);
        var (status, body, _) = await Send(HttpMethod.Put, $"/digitaltwins/{_p}host", $$$"""{"$metadata":{"$model":"{{{host}}}"},"probe":{"$metadata":{},"range":10}}""");
        Assert.True(status == 200, $"{status} {body}");
        Assert.NotNull(body!["probe"]!["$metadata"]!["range"]!["lastUpdateTime"]);

        Assert.Equal(204, (await Send(HttpMethod.Patch, $"/digitaltwins/{_p}host/components/probe", """[{"op":"replace","path":"/range","value":25}]""")).Status);
        (status, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{_p}host/components/probe");
        Assert.Equal((200, 25.0), (status, (double)body!["range"]!));
        Assert.NotNull(body["$metadata"]!["range"]!["lastUpdateTime"]);
        (status, body, _) = await Send(HttpMethod.Get, $"/digitaltwins/{_p}host/components/nosuch");
        Assert.Equal((404, "ComponentNotFound"), (status, (string?)body!["error"]!["code"]));
    }

    [Fact]
    public async Task Queries_page_with_continuation_tokens_and_bad_queries_name_the_position()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateTurbine($"{_p}q{i}", "Q" + _p);
        }

        var query = $$"""{"query":"SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{{Turbine}}') AND T.name = 'Q{{_p}}'"}""";
        var ids = new List<string>();
        var (status, body, _) = await Send(HttpMethod.Post, "/query", query, r => r.Headers.Add("max-items-per-page", "2"));
        while (true)
        {
            Assert.True(status == 200, $"{status} {body}");
            ids.AddRange(body!["value"]!.AsArray().Select(t => (string)t!["$dtId"]!));
            var token = (string?)body["continuationToken"];
            if (token is null)
            {
                break;
            }

            (status, body, _) = await Send(HttpMethod.Post, "/query", new JsonObject { ["continuationToken"] = token }.ToJsonString(), r => r.Headers.Add("max-items-per-page", "2"));
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{_p}q{i}").ToList(), ids.Order(StringComparer.Ordinal).ToList());

        (status, body, _) = await Send(HttpMethod.Post, "/query", """{"query":"SELECT * FROM DIGITALTWINS WHERE"}""");
        Assert.Equal((400, "BadRequest"), (status, (string?)body!["error"]!["code"]));
        Assert.Contains("position", (string?)body["error"]!["message"], StringComparison.Ordinal);
        (status, body, _) = await Send(HttpMethod.Post, "/query", """{"nothing":1}""");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_and_the_reference_page_is_served()
    {
        var (status, body, _) = await api.SendAsync(HttpMethod.Get, "/openapi/v1.json");
        Assert.Equal(200, status);
        var paths = body!["paths"]!.AsObject();
        foreach (var path in new[] { "/models", "/models/{id}", "/digitaltwins/{id}", "/digitaltwins/{id}/relationships/{relationshipId}",
                     "/digitaltwins/{id}/relationships", "/digitaltwins/{id}/incomingrelationships", "/digitaltwins/{id}/components/{name}", "/query" })
        {
            Assert.True(paths.ContainsKey(path), $"OpenAPI lacks {path}");
        }

        var page = await api.Http.GetAsync("/reference", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }
}
