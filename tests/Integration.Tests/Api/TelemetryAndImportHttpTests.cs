using System.Text;
using System.Text.Json.Nodes;
using Xunit;
using static TwinCluster.Integration.Tests.Api.ApiSilo;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>Telemetry over HTTP through the ingress (applied, refused and dead-lettered), and import jobs.</summary>
[Collection(ApiCollection.Name)]
public sealed class TelemetryAndImportHttpTests(ApiSilo api) : IAsyncLifetime
{
    private const string Bearing = "dtmi:twincluster:windfarm:Bearing;1";
    private readonly string _p = "t" + Guid.NewGuid().ToString("N")[..6] + "-";

    public async ValueTask InitializeAsync() => await api.UploadStarterModelsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> Send(HttpMethod method, string path, string? json = null,
        Action<HttpRequestMessage>? configure = null) =>
        api.SendAsync(method, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + ApiVersion, json, configure);

    private static Action<HttpRequestMessage> MessageId(string id) => r => r.Headers.TryAddWithoutValidation("Message-Id", id);

    [Fact]
    public async Task Telemetry_posted_over_http_is_applied_or_refused_and_dead_lettered_like_mqtt()
    {
        var id = _p + "brg";
        Assert.Equal(200, (await Send(HttpMethod.Put, $"/digitaltwins/{id}", $$$"""{"$metadata":{"$model":"{{{Bearing}}}"}}""")).Status);
        var (status, body, _) = await Send(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":61.5}""",
            r => { MessageId("1")(r); r.Headers.TryAddWithoutValidation("Telemetry-Source-Time", "2026-12-01T10:00:00Z"); });
        Assert.True(status == 204, $"{status} {body}");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonNode? telemetry = null;
        while (DateTime.UtcNow < deadline)
        {
            (_, telemetry, _) = await api.SendAsync(HttpMethod.Get, $"/api/v1/telemetry/{id}");
            if ((long)telemetry!["applied"]! >= 1)
            {
                break;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, (long)telemetry!["applied"]!);
        Assert.Equal(61.5, (double)telemetry["latest"]!["temperature"]!["value"]!);

        (status, body, _) = await Send(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":1}""", MessageId("first"));
        Assert.Equal(400, status);
        Assert.Contains("Message-Id 'first'", (string?)body!["error"]!["message"], StringComparison.Ordinal);
        (status, body, _) = await Send(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"nosuch":1}""", MessageId("2"));
        Assert.Equal(400, status);
        Assert.Contains("dead-lettered", (string?)body!["error"]!["message"], StringComparison.Ordinal);
        (status, body, _) = await Send(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":2}""", MessageId("1"));
        Assert.Equal((409, "DuplicateMessage"), (status, (string?)body!["error"]!["code"]));
        (status, body, _) = await Send(HttpMethod.Post, $"/digitaltwins/{_p}nobody/telemetry", """{"temperature":2}""", MessageId("1"));
        Assert.Equal((404, "DigitalTwinNotFound"), (status, (string?)body!["error"]!["code"]));

        (status, body, _) = await api.SendAsync(HttpMethod.Get, $"/api/v1/telemetry/deadletters?twin={id}");
        Assert.Equal(200, status);
        var reasons = body!["items"]!.AsArray().Select(d => (string?)d!["reason"]).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Contains("duplicate-seq", reasons);
        (status, body, _) = await api.SendAsync(HttpMethod.Get, "/api/v1/telemetry/deadletters/counts");
        Assert.True((long)body!["duplicate-seq"]! >= 1);
        (status, body, _) = await api.SendAsync(HttpMethod.Get, "/api/v1/telemetry/deadletters?pageSize=0");
        Assert.Equal(400, status);
        Assert.Contains("pageSize", (string?)body!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_job_reports_progress_and_per_line_errors_and_can_be_cancelled()
    {
        var ndjson = new StringBuilder();
        ndjson.AppendLine($$$"""{"kind":"twin","id":"{{{_p}}}a","model":"{{{Bearing}}}","properties":{}}""");
        ndjson.AppendLine($$$"""{"kind":"twin","id":"{{{_p}}}b","model":"{{{Bearing}}}","properties":{}}""");
        ndjson.AppendLine("""{"kind":"twin","id":""");
        ndjson.AppendLine($$$"""{"kind":"twin","id":"{{{_p}}}c","model":"{{{Bearing}}}","properties":{"balls":"many"}}""");
        var (status, body, response) = await Send(HttpMethod.Put, $"/jobs/imports/{_p}job", null, r => r.Content = new StringContent(ndjson.ToString(), Encoding.UTF8, "application/x-ndjson"));
        Assert.True(status == 201, $"{status} {body}");
        Assert.Equal($"/jobs/imports/{_p}job", response.Headers.Location?.OriginalString);
        var job = await WaitFinished($"{_p}job");
        Assert.Equal("failed", (string?)job["status"]);
        Assert.Equal(2, (int)job["twinsCreated"]!);
        Assert.Equal([3L, 4L], job["errors"]!.AsArray().Select(e => (long)e!["line"]!).ToArray());
        Assert.Equal(200, (await Send(HttpMethod.Get, $"/digitaltwins/{_p}b")).Status);
        Assert.Equal(404, (await Send(HttpMethod.Get, $"/digitaltwins/{_p}c")).Status);

        (status, body, _) = await Send(HttpMethod.Put, $"/jobs/imports/{_p}job", null, r => r.Content = new StringContent("{}\n", Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal((409, "JobAlreadyExists"), (status, (string?)body!["error"]!["code"]));

        // A large job cancelled at once stops short of its end.
        var big = new StringBuilder();
        const int Count = 50_000;
        for (var i = 0; i < Count; i++)
        {
            big.Append(BigLine(i, _p, Bearing));
        }

        (status, _, _) = await Send(HttpMethod.Put, $"/jobs/imports/{_p}big", null, r => r.Content = new StringContent(big.ToString(), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(201, status);
        (status, body, _) = await Send(HttpMethod.Post, $"/jobs/imports/{_p}big/cancel");
        Assert.Equal(200, status);
        job = await WaitFinished($"{_p}big");
        Assert.Equal("cancelled", (string?)job["status"]);
        Assert.Equal(404, (await Send(HttpMethod.Get, $"/digitaltwins/{_p}big-{Count - 1}")).Status);

        Assert.Equal(204, (await Send(HttpMethod.Delete, $"/jobs/imports/{_p}big")).Status);
        (status, body, _) = await Send(HttpMethod.Get, $"/jobs/imports/{_p}big");
        Assert.Equal((404, "JobNotFound"), (status, (string?)body!["error"]!["code"]));
    }

    private static string BigLine(int i, string prefix, string model) =>
        $$$"""{"kind":"twin","id":"{{{prefix}}}big-{{{i}}}","model":"{{{model}}}","properties":{}}""" + "\n";

    private async Task<JsonNode> WaitFinished(string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var (status, job, _) = await Send(HttpMethod.Get, $"/jobs/imports/{id}");
            Assert.Equal(200, status);
            if ((string?)job!["status"] is "succeeded" or "failed" or "cancelled")
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"import job {id} still {job["status"]} after 60 s: {job}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
