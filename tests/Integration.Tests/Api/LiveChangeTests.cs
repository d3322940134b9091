using System.Text.Json.Nodes;
using TwinCluster.Integration.Tests.Cli;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>
/// TwinCluster's own resources over HTTPS with real processes: a silo with the example farm, <c>twin simulate</c>
/// publishing a generator bearing that grows an outer-race defect over MQTT; the SSE stream under the farm receives
/// the alert, the alert is listed and acknowledged over HTTP, the health tree explains it, and a client that
/// reconnects with Last-Event-ID receives the acknowledgement that happened while it was away.
/// </summary>
public sealed class LiveChangeTests : IAsyncLifetime
{
    private const string Faulty = "wt-01-gen-de";
    private const string Healthy = "wt-02-gen-de";
    private readonly ApiSilo _api = new();

    public async ValueTask InitializeAsync()
    {
        await _api.InitializeAsync();
        await using var connection = await ConnectAsync(_api.Process.GatewayPort, _api.ClusterId);
        await LoadSmallFarmAsync(connection.Client, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task The_change_stream_delivers_an_alert_raised_by_simulated_telemetry_and_resumes_from_last_event_id()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body, _) = await _api.SendAsync(HttpMethod.Get, "/api/v1/changes?kind=bogus");
        Assert.Equal(400, status);
        Assert.Contains("kind 'bogus'", (string?)body!["detail"], StringComparison.Ordinal);

        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Two shared cores: the simulator, the silo's analysis and other tests' processes compete, so be patient.
        watching.CancelAfter(TimeSpan.FromSeconds(240));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var stream = await SseReader.OpenAsync(_api.Http, "/api/v1/changes?under=farm-1&kind=raised", null, watching.Token);
        var open = await stream.NextAsync(watching.Token);
        Assert.Equal("open", open.Event);

        using var stopSimulator = new CancellationTokenSource();
        var simulate = CliProcess.RunUntilAsync(["-g", $"127.0.0.1:{_api.Process.GatewayPort}", "--cluster-id", _api.ClusterId, "simulate", "--broker", $"127.0.0.1:{_api.Process.MqttPort}", "--twins", $"{Faulty},{Healthy}",
            "--fs", "12800", "--rate", "12.5", "--fault", $"{Faulty}:outer", "--fault-duration", "40"], stopSimulator.Token);
        SseEvent raised;
        try
        {
            var first = stream.NextChangeAsync(watching.Token);
            if (await Task.WhenAny(first, simulate) == simulate && !first.IsCompleted)
            {
                var (exit, output, error) = await simulate;
                Assert.Fail($"twin simulate stopped (exit {exit}) before an alert was raised: {output}\n{error}");
            }

            raised = await first;
        }
        finally
        {
            await stopSimulator.CancelAsync();
            await simulate;
        }

        Assert.Equal("raised", raised.Event);
        var raisedAfter = clock.Elapsed;
        var change = JsonNode.Parse(raised.Data)!;
        Assert.Equal(Faulty, (string?)change["twin"]);
        Assert.Equal(["farm-1", "wt-01", "wt-01-gen", Faulty], change["path"]!.AsArray().Select(p => (string?)p).ToArray());
        Assert.Contains("outer-race defect", (string?)change["alert"]!["explanation"], StringComparison.Ordinal);
        Assert.NotNull(raised.Id);

        // Listed under the farm and its turbine, not under the other turbine.
        (status, body, _) = await _api.SendAsync(HttpMethod.Get, "/api/v1/alerts?under=wt-01");
        var alert = Assert.Single(body!.AsArray());
        Assert.Equal((Faulty, true), ((string?)alert!["twin"], (bool)alert["open"]!));
        (_, body, _) = await _api.SendAsync(HttpMethod.Get, "/api/v1/alerts?under=wt-02");
        Assert.Empty(body!.AsArray());

        // The explained tree names the faulty bearing at the farm once the roll-up has climbed the tree (a bearing's alert
        // is on the stream before its health reaches the farm, one delivery per level).
        (status, body, _) = await PollAsync(() => _api.SendAsync(HttpMethod.Get, "/api/v1/health/farm-1"),
            r => r.Status == 200 && System.Text.RegularExpressions.Regex.IsMatch((string?)r.Body?["explanation"] ?? "", "^farm-1 (Warning|Alarm): "), ct);
        Assert.Equal(200, status);
        Assert.Matches($"^farm-1 (Warning|Alarm): .*{Faulty}: outer-race defect", (string?)body!["explanation"]);
        Assert.Contains(body["children"]!.AsArray(), c => (string?)c!["id"] == "wt-01");

        (status, body, _) = await _api.SendAsync(HttpMethod.Post, $"/api/v1/alerts/{Faulty}/acknowledge", """{"by":"tester","note":"bearing ordered"}""");
        Assert.True(status == 200, $"{status} {body}");
        // The acknowledgement names the signed-in principal beside the name the request gave.
        Assert.Equal(("tester (token:embedded-admin)", "bearing ordered"), ((string?)body!["acknowledgedBy"], (string?)body["note"]));
        (status, body, _) = await _api.SendAsync(HttpMethod.Post, $"/api/v1/alerts/{Healthy}/acknowledge", """{"by":"tester"}""");
        Assert.Equal(404, status);
        Assert.Contains("no open alert", (string?)body!["detail"], StringComparison.Ordinal);

        // A second client resumes from the raised event's id: the acknowledgement (later in the feed) comes next.
        using var resuming = CancellationTokenSource.CreateLinkedTokenSource(ct);
        resuming.CancelAfter(TimeSpan.FromSeconds(90));
        await using var resumed = await SseReader.OpenAsync(_api.Http, "/api/v1/changes?under=farm-1&kind=acknowledged", raised.Id, resuming.Token);
        SseEvent next;
        try
        {
            next = await resumed.NextChangeAsync(resuming.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no acknowledged event within 90 s of resuming from {raised.Id} (raised after {raisedAfter.TotalSeconds:0} s)");
            throw;
        }

        Assert.Equal("acknowledged", next.Event);
        Assert.Equal("tester", (string?)JsonNode.Parse(next.Data)!["alert"]!["acknowledgedBy"]);

        var telemetry = await _api.SendAsync(HttpMethod.Get, $"/api/v1/telemetry/{Faulty}");
        Assert.True((long)telemetry.Body!["applied"]! > 0);
    }
}
