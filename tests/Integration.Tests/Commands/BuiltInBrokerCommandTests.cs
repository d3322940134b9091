using System.Text.Json;
using MQTTnet.Formatter;
using TwinCluster.Client;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Wire;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.Commands;

/// <summary>One real silo process in the embedded default (its built-in broker, its relay) for the command tests.</summary>
public sealed class CommandSiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;
    private TwinClusterConnection? _connection;

    internal SiloProcess Silo => _silo!;

    internal IGrainFactory Grains => _connection!.Client;

    public async ValueTask InitializeAsync()
    {
        _silo = SiloProcess.Start(null, "cmds");
        await _silo.WaitReadyAsync(1, TestContext.Current.CancellationToken);
        _connection = await ConnectAsync(_silo.GatewayPort, "cmds");
        var upload = await Grains.GetModelRepository().Upload([CommandModel.Json]);
        Assert.True(upload.Succeeded, string.Join("; ", upload.Errors));
        await WaitForRelayAsync(Grains, TestContext.Current.CancellationToken);
        await LoadSmallFarmAsync(Grains, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    /// <summary>A new twin of the command model.</summary>
    internal async Task<string> NewTwinAsync(string properties = "{}")
    {
        var id = "drive-" + Guid.NewGuid().ToString("N")[..10];
        await Grains.GetTwin(new TwinId(id)).Create(CommandModel.Id, properties);
        return id;
    }

    /// <summary>Waits until an ingress relay has registered with the cluster.</summary>
    internal static async Task WaitForRelayAsync(IGrainFactory grains, CancellationToken cancellationToken) =>
        await PollAsync(async () => (await grains.GetGrain<IDeviceGatewayRegistryGrain>(0).GetGateways()).Length, n => n > 0, cancellationToken);
}

/// <summary>
/// Commands and desired properties through the built-in broker, with a plain MQTTnet client as the device (MQTT 5 and
/// MQTT 3.1.1) and a real silo process.
/// </summary>
public sealed class BuiltInBrokerCommandTests(CommandSiloFixture fixture) : IClassFixture<CommandSiloFixture>
{
    private static readonly CommandOptions Quick = new(TimeSpan.FromSeconds(5));

    private IGrainFactory Grains => fixture.Grains;

    private int Port => fixture.Silo.MqttPort;

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_command_round_trips_to_the_device_and_back_with_status_and_payload(MqttProtocolVersion version)
    {
        var twin = await fixture.NewTwinAsync();
        await using var device = await MqttDevice.ConnectAsync(Port, twin, version);
        device.Answer = r => (200, r.Payload.Replace("1200", "1150", StringComparison.Ordinal));
        var result = await Grains.GetTwin(new TwinId(twin)).InvokeCommand("curtail", """{"maxPowerKW":1200}""", Quick);

        Assert.True(result.Outcome == CommandOutcome.Answered, result.Message);
        Assert.Equal(200, result.Status);
        Assert.Equal(1150, JsonDocument.Parse(result.PayloadJson!).RootElement.GetProperty("maxPowerKW").GetDouble());
        var request = Assert.Single(device.Requests);
        Assert.Equal(result.CommandId, request.CommandId);
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(result.CommandId, request.CorrelationId);
            Assert.Equal($"twins/{twin}/replies/{result.CommandId}", request.ResponseTopic);
            Assert.InRange(request.ExpirySeconds, 1u, 5u);
        }
    }

    [Fact]
    public async Task A_device_that_does_not_answer_times_out_and_its_late_answer_is_only_counted()
    {
        var twin = await fixture.NewTwinAsync();
        await using var device = await MqttDevice.ConnectAsync(Port, twin);
        device.Answer = _ => null;
        var started = DateTime.UtcNow;
        var result = await Grains.GetTwin(new TwinId(twin)).InvokeCommand("stop", null, new CommandOptions(TimeSpan.FromSeconds(1)));
        Assert.Equal(CommandOutcome.TimedOut, result.Outcome);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Single(device.Requests);
        Assert.Equal(CommandOutcome.TimedOut, (await Grains.GetTwin(new TwinId(twin)).GetCommands())[0].Outcome);
    }

    [Fact]
    public async Task An_invalid_request_is_refused_naming_the_field_and_nothing_is_sent()
    {
        var twin = await fixture.NewTwinAsync();
        await using var device = await MqttDevice.ConnectAsync(Port, twin);
        device.Answer = _ => (200, """{"state":"stopped"}""");
        var bad = await Assert.ThrowsAsync<TwinOperationException>(() =>
            Grains.GetTwin(new TwinId(twin)).InvokeCommand("curtail", """{"maxPowerKW":"lots"}""", Quick));
        Assert.Equal(TwinErrorCode.Invalid, bad.Code);
        Assert.Contains("$.request.maxPowerKW", bad.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<TwinOperationException>(() => Grains.GetTwin(new TwinId(twin)).InvokeCommand("explode", null, Quick));
        Assert.Contains("its commands: curtail, stop", unknown.Message, StringComparison.Ordinal);
        // A command that works afterwards shows the refused ones never reached the device.
        Assert.Equal(CommandOutcome.Answered, (await Grains.GetTwin(new TwinId(twin)).InvokeCommand("stop", null, Quick)).Outcome);
        Assert.Equal(["stop"], device.Requests.Select(r => r.Name));
    }

    [Fact]
    public async Task An_answer_that_does_not_fit_the_response_schema_is_an_invalid_response()
    {
        var twin = await fixture.NewTwinAsync();
        await using var device = await MqttDevice.ConnectAsync(Port, twin);
        device.Answer = _ => (200, """{"state":42}""");
        var result = await Grains.GetTwin(new TwinId(twin)).InvokeCommand("stop", null, Quick);
        Assert.Equal(CommandOutcome.InvalidResponse, result.Outcome);
        Assert.Contains("$.response.state", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_that_refuses_is_told_apart_by_its_status()
    {
        var twin = await fixture.NewTwinAsync();
        await using var device = await MqttDevice.ConnectAsync(Port, twin, MqttProtocolVersion.V311);
        device.Answer = _ => (409, "\"in maintenance\"");
        var result = await Grains.GetTwin(new TwinId(twin)).InvokeCommand("stop", null, Quick);
        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Equal(409, result.Status);
        Assert.Equal("\"in maintenance\"", result.PayloadJson);
    }

    [Fact]
    public async Task A_twin_without_a_device_session_is_offline_at_once()
    {
        var twin = await fixture.NewTwinAsync();
        var started = DateTime.UtcNow;
        var result = await Grains.GetTwin(new TwinId(twin)).InvokeCommand("stop", null, new CommandOptions(TimeSpan.FromSeconds(20)));
        Assert.Equal(CommandOutcome.Offline, result.Outcome);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "offline must not wait for the timeout");
    }

    [Fact]
    public async Task A_device_whose_session_is_kept_but_not_connected_is_offline_at_once_and_never_gets_that_request_later()
    {
        var twin = await fixture.NewTwinAsync();
        var grain = Grains.GetTwin(new TwinId(twin));
        await using var device = await MqttDevice.ConnectAsync(Port, twin, keepSessionSeconds: 300);
        device.Answer = _ => (200, """{"state":"stopped"}""");
        Assert.Equal(CommandOutcome.Answered, (await grain.InvokeCommand("stop", null, Quick)).Outcome);
        await device.DisconnectAsync();

        var offline = await WaitUntilOfflineAsync(grain);
        var started = DateTime.UtcNow;
        var again = await grain.InvokeCommand("stop", null, new CommandOptions(TimeSpan.FromSeconds(20)));
        Assert.Equal(CommandOutcome.Offline, again.Outcome);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "a kept session that is not connected must not wait for the timeout");
        Assert.Contains("kept but not connected", again.Message, StringComparison.Ordinal);
        offline.Add(again.CommandId);

        // The broker kept the session (and its subscription), but none of the offline requests in it: a round trip
        // after reconnecting is the first request the device sees.
        Assert.True(await device.ReconnectAsync(), "the broker should have kept the device's session");
        var back = await grain.InvokeCommand("stop", null, Quick);
        Assert.Equal(CommandOutcome.Answered, back.Outcome);
        Assert.DoesNotContain(device.Requests, r => offline.Contains(r.CommandId));
        Assert.Equal(back.CommandId, device.Requests.Last().CommandId);
    }

    [Fact]
    public async Task A_queued_command_reaches_a_kept_session_that_reconnects_in_time_and_its_later_answer_becomes_the_outcome()
    {
        var ct = TestContext.Current.CancellationToken;
        var twin = await fixture.NewTwinAsync();
        var grain = Grains.GetTwin(new TwinId(twin));
        await using var device = await MqttDevice.ConnectAsync(Port, twin, keepSessionSeconds: 300);
        device.Answer = r => (200, r.Name == "curtail" ? r.Payload : """{"state":"stopped"}""");
        Assert.Equal(CommandOutcome.Answered, (await grain.InvokeCommand("stop", null, Quick)).Outcome);
        await device.DisconnectAsync();
        await WaitUntilOfflineAsync(grain);

        var queued = await grain.InvokeCommand("curtail", """{"maxPowerKW":700}""", new CommandOptions(TimeSpan.FromSeconds(1), QueueFor: TimeSpan.FromSeconds(60)));
        Assert.Equal(CommandOutcome.TimedOut, queued.Outcome);
        Assert.Contains("keeps the request", queued.Message, StringComparison.Ordinal);

        Assert.True(await device.ReconnectAsync(), "the broker should have kept the device's session");
        var request = await PollAsync(() => Task.FromResult(device.Requests.FirstOrDefault(r => r.CommandId == queued.CommandId)), r => r is not null, ct);
        Assert.Contains("\"maxPowerKW\":700", request!.Payload, StringComparison.Ordinal);
        Assert.InRange(request.ExpirySeconds, 1u, 60u);
        var commands = await PollAsync(() => grain.GetCommands(), c => c.Any(x => x.CommandId == queued.CommandId && x.Outcome == CommandOutcome.Answered), ct);
        var answered = commands.Single(x => x.CommandId == queued.CommandId);
        Assert.Equal(700, JsonDocument.Parse(answered.PayloadJson!).RootElement.GetProperty("maxPowerKW").GetDouble());
        Assert.True(answered.CompletedAt > queued.CompletedAt, "the answer came after the caller's timeout");

        // Asked again by its id, the command gives its recorded answer and is not sent again.
        var repeat = await grain.InvokeCommand("curtail", """{"maxPowerKW":700}""", Quick with { CommandId = queued.CommandId });
        Assert.Equal(CommandOutcome.Answered, repeat.Outcome);
        Assert.Single(device.Requests, r => r.CommandId == queued.CommandId);
    }

    [Fact]
    public async Task A_queued_command_whose_queueing_ends_before_the_device_is_back_is_never_delivered_and_ends_expired()
    {
        var ct = TestContext.Current.CancellationToken;
        var twin = await fixture.NewTwinAsync();
        var grain = Grains.GetTwin(new TwinId(twin));
        await using var device = await MqttDevice.ConnectAsync(Port, twin, keepSessionSeconds: 300);
        device.Answer = _ => (200, """{"state":"stopped"}""");
        Assert.Equal(CommandOutcome.Answered, (await grain.InvokeCommand("stop", null, Quick)).Outcome);
        await device.DisconnectAsync();
        await WaitUntilOfflineAsync(grain);

        var queued = await grain.InvokeCommand("stop", null, new CommandOptions(TimeSpan.FromSeconds(1), QueueFor: TimeSpan.FromSeconds(2)));
        Assert.Equal(CommandOutcome.TimedOut, queued.Outcome);
        // Past its queueing (and a timeout more for an answer to come), the twin says it expired.
        var commands = await PollAsync(() => grain.GetCommands(), c => c.Any(x => x.CommandId == queued.CommandId && x.Outcome == CommandOutcome.Expired), ct);
        Assert.Contains("expired undelivered", commands.Single(x => x.CommandId == queued.CommandId).Message, StringComparison.Ordinal);

        // The broker still has the session and the stale request in it, and drops the request instead of delivering it.
        Assert.True(await device.ReconnectAsync(), "the broker should have kept the device's session");
        var back = await grain.InvokeCommand("stop", null, Quick);
        Assert.Equal(CommandOutcome.Answered, back.Outcome);
        Assert.DoesNotContain(device.Requests, r => r.CommandId == queued.CommandId);
        Assert.Equal(CommandOutcome.Expired, (await grain.InvokeCommand("stop", null, Quick with { CommandId = queued.CommandId })).Outcome);
        Assert.DoesNotContain(device.Requests, r => r.CommandId == queued.CommandId);
    }

    [Fact]
    public async Task A_duplicate_is_answered_once_a_second_answer_is_dropped_and_a_repeated_id_is_not_sent_again()
    {
        var twin = await fixture.NewTwinAsync();
        await using var device = await MqttDevice.ConnectAsync(Port, twin);
        var answers = 0;
        device.AnswersPerRequest = 2;
        device.Answer = _ => (200, $$"""{"state":"stopped-{{Interlocked.Increment(ref answers)}}"}""");
        var options = Quick with { CommandId = "stop-" + Guid.NewGuid().ToString("N")[..8] };
        var first = await Grains.GetTwin(new TwinId(twin)).InvokeCommand("stop", null, options);
        var again = await Grains.GetTwin(new TwinId(twin)).InvokeCommand("stop", null, options);
        Assert.Equal(CommandOutcome.Answered, first.Outcome);
        Assert.Equal(options.CommandId, first.CommandId);
        Assert.Equal(first, again);
        Assert.Single(device.Requests);
        Assert.Single(await Grains.GetTwin(new TwinId(twin)).GetCommands());
    }

    [Fact]
    public async Task A_desired_property_is_pushed_and_accepted_and_another_refused()
    {
        var twin = await fixture.NewTwinAsync();
        await using var device = await MqttDevice.ConnectAsync(Port, twin);
        var grain = Grains.GetTwin(new TwinId(twin));
        await grain.Patch("""[{"op":"add","path":"/maxPowerKW","value":1500},{"op":"add","path":"/samplingRateHz","value":51200}]""", null);
        var document = await PollAsync(() => Task.FromResult(device.DesiredDocuments.LastOrDefault()), d => d is not null, TestContext.Current.CancellationToken);
        using var desired = JsonDocument.Parse(document!);
        var version = desired.RootElement.GetProperty("$version").GetInt64();
        Assert.Equal(1500, desired.RootElement.GetProperty("maxPowerKW").GetDouble());
        Assert.Equal(DesiredAckState.Pending, (await grain.GetDesired()).Properties[0].State);

        await device.ReportAsync($$$"""
            {"maxPowerKW":{"value":1500,"ac":200,"av":{{{version}}},"ad":"applied"},
             "samplingRateHz":{"value":25600,"ac":400,"av":{{{version}}},"ad":"the sensor samples at 25600 Hz at most"}}
            """);
        var view = await PollAsync(() => grain.GetDesired(), v => v.Properties.All(p => p.State != DesiredAckState.Pending), TestContext.Current.CancellationToken);
        var byName = view.Properties.ToDictionary(p => p.Name);
        Assert.Equal(DesiredAckState.Accepted, byName["maxPowerKW"].State);
        Assert.Equal("1500", byName["maxPowerKW"].ReportedJson);
        Assert.Equal(DesiredAckState.Refused, byName["samplingRateHz"].State);
        Assert.Equal("the sensor samples at 25600 Hz at most", byName["samplingRateHz"].AckDescription);
        Assert.Equal("25600", byName["samplingRateHz"].ReportedJson);
        // The twin's properties still hold what the operator asked for; the device's answer is beside it.
        Assert.Contains("51200", (await grain.Get())!.PropertiesJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_desired_property_set_while_the_device_is_offline_reaches_it_when_it_connects()
    {
        var twin = await fixture.NewTwinAsync();
        var grain = Grains.GetTwin(new TwinId(twin));
        await grain.Patch("""[{"op":"add","path":"/maxPowerKW","value":900}]""", null);
        Assert.True((await grain.GetDesired()).Pushed);

        await using var device = await MqttDevice.ConnectAsync(Port, twin, MqttProtocolVersion.V311);
        var document = await PollAsync(() => Task.FromResult(device.DesiredDocuments.LastOrDefault()), d => d is not null, TestContext.Current.CancellationToken);
        using var desired = JsonDocument.Parse(document!);
        Assert.Equal(900, desired.RootElement.GetProperty("maxPowerKW").GetDouble());
        var version = desired.RootElement.GetProperty("$version").GetInt64();
        await device.ReportAsync($$$"""{"maxPowerKW":{"value":900,"ac":200,"av":{{{version}}}}}""");
        await PollAsync(() => grain.GetDesired(), v => v.Properties.Single().State == DesiredAckState.Accepted, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_HTTP_API_sends_commands_and_shows_desired_state_telling_outcomes_apart_by_status()
    {
        var twin = await fixture.NewTwinAsync();
        using var http = Api.ApiSilo.CreateClient(new Uri($"https://127.0.0.1:{fixture.Silo.HttpsPort}"), fixture.Silo.AdminToken);
        var offline = await http.PostAsync($"/api/v1/twins/{twin}/commands/stop?timeout=5", null, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, offline.StatusCode);
        Assert.Contains("\"outcome\":\"Offline\"", await offline.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await using var device = await MqttDevice.ConnectAsync(Port, twin);
        device.Answer = r => (200, r.Payload);
        var answered = await http.PostAsync($"/api/v1/twins/{twin}/commands/curtail?timeout=5",
            new StringContent("""{"maxPowerKW":800}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await answered.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(answered.IsSuccessStatusCode, body);
        using (var json = JsonDocument.Parse(body))
        {
            Assert.Equal("Answered", json.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(800, json.RootElement.GetProperty("payload").GetProperty("maxPowerKW").GetDouble());
        }

        var invalid = await http.PostAsync($"/api/v1/twins/{twin}/commands/curtail", new StringContent("""{"maxPowerKW":true}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("$.request.maxPowerKW", await invalid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        device.Answer = _ => null;
        var late = await http.PostAsync($"/api/v1/twins/{twin}/commands/stop?timeout=1", null, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.GatewayTimeout, late.StatusCode);

        await Grains.GetTwin(new TwinId(twin)).Patch("""[{"op":"add","path":"/maxPowerKW","value":700}]""", null);
        var desired = await http.GetStringAsync($"/api/v1/twins/{twin}/desired", TestContext.Current.CancellationToken);
        using var view = JsonDocument.Parse(desired);
        var property = view.RootElement.GetProperty("properties")[0];
        Assert.Equal("maxPowerKW", property.GetProperty("name").GetString());
        Assert.Equal(700, property.GetProperty("desired").GetDouble());
        Assert.Equal("Pending", property.GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_cli_sends_a_command_and_exits_by_outcome()
    {
        var twin = await fixture.NewTwinAsync();
        await using var device = await MqttDevice.ConnectAsync(Port, twin);
        device.Answer = _ => (200, """{"state":"stopped"}""");
        var cli = Cli.CliProcess.Http(fixture.Silo);
        var ok = await Cli.CliProcess.RunAsync([.. cli, "command", twin, "stop", "--timeout", "5", "--json"]);
        Assert.True(ok.Exit == 0, ok.Err);
        using (var json = JsonDocument.Parse(ok.Out))
        {
            Assert.Equal("answered", json.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("stopped", json.RootElement.GetProperty("payload").GetProperty("state").GetString());
        }

        var bad = await Cli.CliProcess.RunAsync([.. cli, "command", twin, "curtail", "--payload", """{"maxPowerKW":"x"}"""]);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("$.request.maxPowerKW", bad.Err, StringComparison.Ordinal);
        device.Answer = _ => (503, "\"grid operator says no\"");
        var refused = await Cli.CliProcess.RunAsync([.. cli, "command", twin, "stop", "--timeout", "5"]);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("refused (status 503)", refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_simulator_as_the_device_spins_down_on_stop_honours_a_curtailment_and_acknowledges_a_desired_cap()
    {
        await WithSimulatorAsync("wt-02", 5, async ct =>
        {
            var turbine = Grains.GetTwin(new TwinId("wt-02"));
            double Reading(TelemetryStatus s, string channel) => s.Latest.TryGetValue(channel, out var r) ? r.Value : double.NaN;
            var running = await PollAsync(() => turbine.GetTelemetry(), s => Reading(s, "rotorSpeed") > 5 && Reading(s, "power") > 50, ct);
            var (rpm, kw) = (Reading(running, "rotorSpeed"), Reading(running, "power"));

            var stopped = await turbine.InvokeCommand("stop", null, Quick);
            Assert.True(stopped.Outcome == CommandOutcome.Answered, stopped.Message);
            Assert.Equal("stopped", JsonDocument.Parse(stopped.PayloadJson!).RootElement.GetProperty("operatingState").GetString());
            var spunDown = await PollAsync(() => turbine.GetTelemetry(), s => Reading(s, "rotorSpeed") < 0.1 * rpm, ct);
            Assert.True(Reading(spunDown, "power") < 0.05 * kw, $"power {kw} kW before the stop, {Reading(spunDown, "power")} kW at {Reading(spunDown, "rotorSpeed")} rpm");
            // The monitored parts see it too: the gearbox's output shaft slows with the rotor.
            var gearbox = await Grains.GetTwin(new TwinId("wt-02-gbx")).GetTelemetry();
            Assert.True(Reading(gearbox, "outputSpeed") < 200, $"gearbox output {Reading(gearbox, "outputSpeed")} rpm after the stop");

            Assert.Equal(CommandOutcome.Answered, (await turbine.InvokeCommand("start", null, Quick)).Outcome);
            var curtailed = await turbine.InvokeCommand("curtail", """{"maxPowerKW":300}""", Quick);
            Assert.Equal(300, JsonDocument.Parse(curtailed.PayloadJson!).RootElement.GetProperty("maxPowerKW").GetDouble());
            var after = (await turbine.GetTelemetry()).LastSeq;
            var capped = await PollAsync(() => turbine.GetTelemetry(), s => s.LastSeq >= after + 120, ct);   // 30 s: spun up again, so only the cap holds it down
            Assert.True(Reading(capped, "power") <= 300.0001, $"power {Reading(capped, "power")} kW under a 300 kW cap");

            await turbine.Patch("""[{"op":"add","path":"/maxPowerKW","value":200}]""", null);
            var desired = await PollAsync(() => turbine.GetDesired(), v => v.Properties.Any(p => p.Name == "maxPowerKW" && p.State != DesiredAckState.Pending), ct);
            var cap = desired.Properties.Single(p => p.Name == "maxPowerKW");
            Assert.Equal(DesiredAckState.Accepted, cap.State);
            Assert.Equal("power capped", cap.AckDescription);
        });
    }

    [Fact]
    public async Task The_simulator_as_the_device_resamples_a_bearing_on_a_desired_sample_rate_and_refuses_a_rate_outside_the_range()
    {
        await WithSimulatorAsync("wt-01", 9, async ct =>
        {
            // A generator bearing of the example farm, sampled at its vibrationSampleRateHz (12,800 Hz) to begin with.
            var bearing = Grains.GetTwin(new TwinId("wt-01-gen-de"));
            static double? Rate(TelemetryStatus s) => s.Latest.TryGetValue("vibration", out var r) ? r.SampleRateHz : null;
            var first = await PollAsync(() => bearing.GetTelemetry(), s => Rate(s) is not null, ct);
            Assert.Equal((12_800.0, 256), (Rate(first)!.Value, first.Latest["vibration"].Samples));

            await bearing.Patch("""[{"op":"replace","path":"/vibrationSampleRateHz","value":6400}]""", null);
            var desired = await PollAsync(() => bearing.GetDesired(),
                v => v.Properties.Any(p => p.Name == "vibrationSampleRateHz" && p.State != DesiredAckState.Pending), ct);
            var accepted = desired.Properties.Single(p => p.Name == "vibrationSampleRateHz");
            Assert.True(accepted.State == DesiredAckState.Accepted, $"{accepted.State}: {accepted.AckDescription}");
            Assert.Equal("6400", accepted.ReportedJson);
            // The blocks the twin receives now carry the new rate in their header, and keep their 20 ms each.
            var resampled = await PollAsync(() => bearing.GetTelemetry(), s => Rate(s) == 6400, ct);
            Assert.Equal(128, resampled.Latest["vibration"].Samples);

            await bearing.Patch("""[{"op":"replace","path":"/vibrationSampleRateHz","value":200000}]""", null);
            var after = await PollAsync(() => bearing.GetDesired(), v => v.Properties.Single(p => p.Name == "vibrationSampleRateHz") is var rate
                && rate.Version > accepted.Version && rate.State != DesiredAckState.Pending, ct);
            var refused = after.Properties.Single(p => p.Name == "vibrationSampleRateHz");
            Assert.Equal((DesiredAckState.Refused, 400), (refused.State, refused.AckStatus));
            Assert.Contains("vibrationSampleRateHz 200000 is outside", refused.AckDescription, StringComparison.Ordinal);
            Assert.Equal("6400", refused.ReportedJson);
            var seen = (await bearing.GetTelemetry()).LastSeq;
            var still = await PollAsync(() => bearing.GetTelemetry(), s => s.LastSeq >= seen + 8, ct);
            Assert.Equal(6400, Rate(still));
        });
    }

    // The fleet simulator as the devices of the subtree under root (4 records a second, 256-sample blocks), for as long
    // as the body runs; stopped when it ends.
    private async Task WithSimulatorAsync(string root, int seed, Func<CancellationToken, Task> body)
    {
        var ct = TestContext.Current.CancellationToken;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var simulate = Cli.CliProcess.RunUntilAsync(["-g", $"127.0.0.1:{fixture.Silo.GatewayPort}", "--cluster-id", "cmds", "simulate", "--root", root,
            "--broker", $"127.0.0.1:{Port}", "--rate", "4", "--block", "256", "--duration", "180", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)], stop.Token);
        try
        {
            await body(ct);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await simulate;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    // Sends short commands until the broker has seen the device go (it hears the DISCONNECT a moment after the
    // client sent it); the ids of those that came back offline.
    private static async Task<List<string>> WaitUntilOfflineAsync(ITwinGrain grain)
    {
        var offline = new List<string>();
        await PollAsync(async () =>
        {
            var result = await grain.InvokeCommand("stop", null, new CommandOptions(TimeSpan.FromSeconds(1)));
            if (result.Outcome == CommandOutcome.Offline)
            {
                offline.Add(result.CommandId);
            }

            return result.Outcome;
        }, o => o == CommandOutcome.Offline, TestContext.Current.CancellationToken);
        return offline;
    }
}
