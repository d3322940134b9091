using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;
using static TwinCluster.Integration.Tests.Api.ApiSilo;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>
/// Bad input on both halves of the API: a wrong Content-Type, malformed JSON, a body over the limit (with and without
/// a length), an unknown api-version on a write, a query parameter that does not parse. Each is a 4xx in the path's
/// error shape whose message names the field or position, and a read afterwards shows nothing was written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputHttpTests(ApiSilo api) : IAsyncLifetime
{
    private const string Turbine = "dtmi:twincluster:windfarm:Turbine;1";
    private readonly string _p = "b" + Guid.NewGuid().ToString("N")[..6] + "-";

    public async ValueTask InitializeAsync() => await api.UploadStarterModelsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static Action<HttpRequestMessage> Body(string text, string mediaType) => r => r.Content = new StringContent(text, Encoding.UTF8, mediaType);

    private async Task<string> CreateTurbineAsync(string id)
    {
        var (status, body, _) = await api.SendAsync(HttpMethod.Put, $"/digitaltwins/{id}?{ApiVersion}", $$"""{"$metadata":{"$model":"{{Turbine}}"},"name":"T","ratedPowerKW":3000}""");
        Assert.True(status == 200, $"{status} {body}");
        return (string)body!["$etag"]!;
    }

    private async Task<string?> ETagAsync(string id) => (string?)(await api.SendAsync(HttpMethod.Get, $"/digitaltwins/{id}?{ApiVersion}")).Body?["$etag"];

    [Theory]
    [InlineData("PUT", "/digitaltwins/{new}", "text/plain")]
    [InlineData("PUT", "/digitaltwins/{new}", "application/x-www-form-urlencoded")]
    [InlineData("PATCH", "/digitaltwins/{twin}", "text/plain")]
    [InlineData("PUT", "/digitaltwins/{twin}/relationships/r1", "application/xml")]
    [InlineData("POST", "/models", "text/xml")]
    [InlineData("POST", "/query", "text/plain")]
    [InlineData("POST", "/digitaltwins/{twin}/telemetry", "text/csv")]
    [InlineData("PUT", "/jobs/imports/{new}", "application/xml")]
    public async Task A_body_that_is_not_json_is_a_415_naming_the_content_type_on_adt_paths(string method, string template, string mediaType)
    {
        var twin = _p + "ct";
        var etag = await CreateTurbineAsync(twin);
        var fresh = _p + "new" + Guid.NewGuid().ToString("N")[..4];
        var path = template.Replace("{new}", fresh, StringComparison.Ordinal).Replace("{twin}", twin, StringComparison.Ordinal) + "?" + ApiVersion;
        var json = template.StartsWith("/models", StringComparison.Ordinal) ? "[]" : method == "PATCH" ? """[{"op":"replace","path":"/name","value":"x"}]"""
            : template.EndsWith("/relationships/r1", StringComparison.Ordinal) ? $$"""{"$relationshipName":"contains","$targetId":"{{twin}}"}"""
            : $$"""{"$metadata":{"$model":"{{Turbine}}"},"name":"x","query":"SELECT * FROM DIGITALTWINS"}""";

        var (status, body, _) = await api.SendAsync(new HttpMethod(method), path, null, Body(json, mediaType));

        Assert.True(status == 415, $"{method} {path} as {mediaType}: {status} {body}");
        Assert.Equal("UnsupportedMediaType", (string?)body?["error"]?["code"]);
        Assert.Contains(mediaType, (string?)body!["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal(etag, await ETagAsync(twin));
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, $"/digitaltwins/{fresh}?{ApiVersion}")).Status);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, $"/jobs/imports/{fresh}?{ApiVersion}")).Status);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, $"/digitaltwins/{twin}/relationships/r1?{ApiVersion}")).Status);
    }

    [Fact]
    public async Task Json_with_a_charset_or_a_json_patch_type_is_accepted()
    {
        var twin = _p + "ok";
        await CreateTurbineAsync(twin);
        var (status, body, _) = await api.SendAsync(HttpMethod.Patch, $"/digitaltwins/{twin}?{ApiVersion}", null,
            Body("""[{"op":"replace","path":"/name","value":"patched"}]""", "application/json-patch+json"));
        Assert.True(status == 204, $"{status} {body}");
        (status, body, _) = await api.SendAsync(HttpMethod.Post, "/api/v1/twins", null, Body($$"""{"id":"{{_p}}own","model":"{{Turbine}}"}""", "application/json"));
        Assert.True(status == 201, $"{status} {body}");
    }

    [Theory]
    [InlineData("POST", "/api/v1/twins", "text/plain")]
    [InlineData("PATCH", "/api/v1/twins/{twin}", "application/x-www-form-urlencoded")]
    [InlineData("POST", "/api/v1/alerts/{twin}/acknowledge", "text/plain")]
    [InlineData("POST", "/api/v1/auth/tokens", "text/plain")]
    public async Task A_body_that_is_not_json_is_a_415_problem_naming_the_content_type_on_own_paths(string method, string template, string mediaType)
    {
        var twin = _p + "oct";
        var etag = await CreateTurbineAsync(twin);
        var path = template.Replace("{twin}", twin, StringComparison.Ordinal);
        var json = method == "PATCH" ? """[{"op":"replace","path":"/name","value":"x"}]""" : $$"""{"id":"{{_p}}oct-new","model":"{{Turbine}}","role":"admin","note":"x"}""";

        var (status, body, _) = await api.SendAsync(new HttpMethod(method), path, null, Body(json, mediaType));

        Assert.True(status == 415, $"{method} {path} as {mediaType}: {status} {body}");
        Assert.Contains(mediaType, (string?)body?["detail"], StringComparison.Ordinal);
        Assert.Equal(etag, await ETagAsync(twin));
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, $"/api/v1/twins/{_p}oct-new")).Status);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_that_says_where_and_writes_nothing()
    {
        var twin = _p + "mj";
        var etag = await CreateTurbineAsync(twin);

        var (status, body, _) = await api.SendAsync(HttpMethod.Patch, $"/digitaltwins/{twin}?{ApiVersion}", """[{"op":"replace","path":"/name","value":"x"}""");
        Assert.Equal((400, "InvalidArgument"), (status, (string?)body!["error"]!["code"]));
        Assert.Contains("not valid JSON", (string?)body["error"]!["message"], StringComparison.Ordinal);
        Assert.Contains("BytePositionInLine", (string?)body["error"]!["message"], StringComparison.Ordinal);
        (status, body, _) = await api.SendAsync(HttpMethod.Post, $"/models?{ApiVersion}", """[{"@id":"dtmi:test:x;1",]""");
        Assert.Equal(400, status);
        Assert.Contains("not valid JSON", (string?)body!["error"]!["message"], StringComparison.Ordinal);

        (status, body, _) = await api.SendAsync(HttpMethod.Post, "/api/v1/twins", $$"""{"id":"{{_p}}mj-new","model":"{{Turbine}}",""");
        Assert.True(status == 400, $"{status} {body}");
        Assert.Contains("request body", (string?)body!["detail"], StringComparison.Ordinal);
        Assert.Contains("BytePositionInLine", (string?)body["detail"], StringComparison.Ordinal);
        (status, body, _) = await api.SendAsync(HttpMethod.Patch, $"/api/v1/twins/{twin}", """[{"op":"replace","path":"/name","value":}]""");
        Assert.True(status == 400, $"{status} {body}");
        Assert.Contains("BytePositionInLine", (string?)body!["detail"], StringComparison.Ordinal);

        Assert.Equal(etag, await ETagAsync(twin));
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, $"/api/v1/twins/{_p}mj-new")).Status);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_with_or_without_a_length_and_writes_nothing()
    {
        var twin = _p + "big";
        var etag = await CreateTurbineAsync(twin);
        var huge = new string('x', 1024 * 1024 + 100);
        var patch = $$"""[{"op":"replace","path":"/name","value":"{{huge}}"}]""";

        var (status, body, _) = await api.SendAsync(HttpMethod.Patch, $"/digitaltwins/{twin}?{ApiVersion}", patch);
        Assert.Equal((413, "PayloadTooLarge"), (status, (string?)body!["error"]!["code"]));
        Assert.Contains("at most 1,048,576", (string?)body["error"]!["message"], StringComparison.Ordinal);
        (status, body, _) = await api.SendAsync(HttpMethod.Patch, $"/digitaltwins/{twin}?{ApiVersion}", null, r => r.Content = new ChunkedContent(patch, "application/json"));
        Assert.Equal((413, "PayloadTooLarge"), (status, (string?)body!["error"]!["code"]));

        (status, body, _) = await api.SendAsync(HttpMethod.Patch, $"/api/v1/twins/{twin}", patch);
        Assert.Equal(413, status);
        Assert.Contains("at most 1,048,576", (string?)body!["detail"], StringComparison.Ordinal);
        (status, body, _) = await api.SendAsync(HttpMethod.Patch, $"/api/v1/twins/{twin}", null, r => r.Content = new ChunkedContent(patch, "application/json"));
        Assert.True(status == 413, $"a chunked body over the limit on /api/v1: {status} {body}");

        Assert.Equal(etag, await ETagAsync(twin));
    }

    [Fact]
    public async Task An_unknown_api_version_on_a_write_is_a_400_and_writes_nothing()
    {
        var id = _p + "ver";
        var (status, body, _) = await api.SendAsync(HttpMethod.Put, $"/digitaltwins/{id}?api-version=1999-01-01", $$$"""{"$metadata":{"$model":"{{{Turbine}}}"}}""");

        Assert.Equal((400, "InvalidApiVersionParameter"), (status, (string?)body!["error"]!["code"]));
        Assert.Contains("'1999-01-01'", (string?)body["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, $"/digitaltwins/{id}?{ApiVersion}")).Status);
    }

    [Theory]
    [InlineData("/models?includeModelDefinition=maybe&" + ApiVersion, "includeModelDefinition")]
    [InlineData("/api/v1/health/{twin}?depth=deep", "depth")]
    [InlineData("/api/v1/history/{twin}/changes?to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/v1/alerts?all=sometimes", "all")]
    public async Task A_query_parameter_that_does_not_parse_is_a_400_naming_it(string template, string parameter)
    {
        var twin = _p + "qp";
        await CreateTurbineAsync(twin);

        var (status, body, _) = await api.SendAsync(HttpMethod.Get, template.Replace("{twin}", twin, StringComparison.Ordinal));

        Assert.True(status == 400, $"{template}: {status} {body}");
        var message = (string?)body?["error"]?["message"] ?? (string?)body?["detail"];
        Assert.Contains(parameter, message, StringComparison.Ordinal);
    }

    /// <summary>A body sent without Content-Length (chunked), as a stream of unknown size is.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedContent(string text, string mediaType)
        {
            _bytes = Encoding.UTF8.GetBytes(text);
            Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
