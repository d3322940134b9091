using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using TwinCluster.Client;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Wire;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.Telemetry;

/// <summary>
/// The embedded default as a user runs it: a real silo process with its MQTT broker, devices publishing over real
/// MQTT connections (5 and 3.1.1), twins applying, bad input dead-lettered.
/// </summary>
public sealed class EmbeddedIngestTests : IAsyncLifetime
{
    private const int MaxPayload = 64 * 1024;
    private const int MaxPacket = 128 * 1024;
    private SiloProcess? _silo;
    private TwinClusterConnection? _connection;

    private SiloProcess Silo => _silo!;

    private IGrainFactory Grains => _connection!.Client;

    public async ValueTask InitializeAsync()
    {
        _silo = SiloProcess.Start(null, "ingest", new Dictionary<string, string>
        {
            ["TwinCluster__Ingress__Limits__MaxPayloadBytes"] = MaxPayload.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TwinCluster__Mqtt__MaxPacketBytes"] = MaxPacket.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await _silo.WaitReadyAsync(1, TestContext.Current.CancellationToken);
        _connection = await ConnectAsync(_silo.GatewayPort, "ingest");
        await LoadSmallFarmAsync(Grains, TestContext.Current.CancellationToken);
        var counter = await Grains.GetModelRepository().Upload(["""{"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Counter;1","@type":"Interface","contents":[{"@type":"Telemetry","name":"count","schema":"integer"}]}"""]);
        Assert.True(counter.Succeeded);
        await Grains.GetTwin(new TwinId("counter-1")).Create("dtmi:test:Counter;1", "{}");
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

    [Fact]
    public async Task Binary_blocks_over_mqtt5_and_json_over_mqtt311_reach_the_twin_once_each()
    {
        var ct = TestContext.Current.CancellationToken;
        const string twin = "wt-01-mb";
        using var v5 = await ConnectPublisherAsync(Silo.MqttPort);
        using var v311 = await ConnectPublisherAsync(Silo.MqttPort, MqttProtocolVersion.V311);
        for (var seq = 1; seq <= 20; seq++)
        {
            Assert.True(await PublishAsync(v5, $"twins/{twin}/telemetry", Block(twin, seq), ContentTypes.BinaryBlock));
        }

        for (var seq = 21; seq <= 30; seq++)
        {
            // No content type over MQTT 3.1.1: the format is recognised from the payload.
            Assert.True(await PublishAsync(v311, $"twins/{twin}/telemetry", Json(seq, $"\"temperature\":{40 + seq}.5,\"shaftSpeed\":12.0")));
        }

        Assert.True(await PublishAsync(v311, $"twins/{twin}/telemetry", Block(twin, 5)));   // a repeat of seq 5

        var status = await WaitForAsync(Grains, twin, s => s.LastSeq == 30, ct);
        Assert.Equal(30, status.Applied);
        Assert.Equal(20 * 1024 + 10 * 2, status.Samples);
        Assert.Equal(70.5, status.Latest["temperature"].Value);
        Assert.Equal(1024, status.Latest["vibration"].Samples);
        Assert.Equal(0, status.Skipped);
        var counts = await WaitForDeadLettersAsync(Grains, c => c.GetValueOrDefault("duplicate-seq") >= 1, ct);
        var duplicates = await Grains.GetGrain<IDeadLetterGrain>(0).List(twin, "duplicate-seq", 10, null);
        Assert.Single(duplicates.Items);
        Assert.Contains("seq 5", duplicates.Items[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_kind_of_bad_input_is_dead_lettered_with_its_reason_and_the_good_ones_between_still_arrive()
    {
        var ct = TestContext.Current.CancellationToken;
        const string twin = "wt-02-mb";
        var topic = $"twins/{twin}/telemetry";
        var bad = new (string Reason, string Topic, byte[] Payload, string? ContentType)[]
        {
            ("unknown-twin", "twins/no-such-twin/telemetry", Json(1, "\"temperature\":1"), null),
            ("twin-mismatch", topic, Json(100, "\"temperature\":1", extra: ",\"twin\":\"wt-01-mb\""), null),
            ("malformed-json", topic, Encoding.UTF8.GetBytes("{\"seq\":1,"), ContentTypes.Json),
            ("malformed-binary", topic, [.. "TCBK"u8, 1, 0, 1, 0, 9, 9], null),
            ("unknown-telemetry", topic, Json(100, "\"colour\":3"), null),
            ("schema-mismatch", "twins/counter-1/telemetry", Json(1, "\"count\":1.5"), null),
            ("unit-mismatch", topic, Json(100, "\"temperature\":1", extra: ",\"units\":{\"temperature\":\"degreeFahrenheit\"}"), null),
            ("non-finite", topic, Json(100, "\"temperature\":NaN"), null),
            ("timestamp-future", topic, Json(100, "\"temperature\":1", DateTimeOffset.UtcNow.AddHours(2)), null),
            ("timestamp-past", topic, Json(100, "\"temperature\":1", DateTimeOffset.UtcNow.AddDays(-30)), null),
            ("too-large", topic, Json(100, "\"vibration\":[" + string.Join(",", Enumerable.Repeat("0.123456", 12_000)) + "]"), null),
            ("unsupported-content-type", topic, Json(100, "\"temperature\":1"), "text/plain"),
            ("invalid-topic", $"twins/{twin}/telemetry/extra", Json(100, "\"temperature\":1"), null),
            ("duplicate-seq", topic, Json(1, "\"temperature\":1"), null),
        };
        using var device = await ConnectPublisherAsync(Silo.MqttPort);
        long good = 0;
        Assert.True(await PublishAsync(device, topic, Json(++good, "\"temperature\":30")));
        foreach (var (_, badTopic, payload, contentType) in bad)
        {
            Assert.True(await PublishAsync(device, badTopic, payload, contentType));
            Assert.True(await PublishAsync(device, topic, Json(++good, $"\"temperature\":{30 + good}")));
        }

        var status = await WaitForAsync(Grains, twin, s => s.LastSeq == good, ct);
        Assert.Equal(good, status.Applied);   // no bad message reached the twin, every good one did
        Assert.Equal(30.0 + good, status.Latest["temperature"].Value);
        var counts = await WaitForDeadLettersAsync(Grains, c => bad.All(b => c.ContainsKey(b.Reason)), ct);
        foreach (var (reason, _, _, _) in bad)
        {
            Assert.True(counts[reason] >= 1, reason);
        }

        var mine = await Grains.GetGrain<IDeadLetterGrain>(0).List(twin, "unit-mismatch", 10, null);
        Assert.Contains(mine.Items, d => d.Message.Contains("degreeFahrenheit", StringComparison.Ordinal) && d.TwinId == twin && d.PayloadPrefix.Length > 0);

        // The operator's view: `twin deadletters list`.
        var cli = await CliProcess.RunAsync([.. CliProcess.Http(Silo), "--json", "deadletters", "list", "--twin", twin, "--reason", "non-finite"]);
        Assert.True(cli.Exit == 0, cli.Err);
        var listed = JsonDocument.Parse(cli.Out).RootElement;
        Assert.Equal("non-finite", listed.GetProperty("items")[0].GetProperty("reason").GetString());
        Assert.True(listed.GetProperty("counts").GetProperty("too-large").GetInt64() >= 1);
        var usage = await CliProcess.RunAsync([.. CliProcess.Http(Silo), "deadletters", "list", "--reason", "bogus"]);
        Assert.Equal(1, usage.Exit);
        Assert.Contains("unknown-twin", usage.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_message_does_not_make_the_twin_wait_for_its_seq()
    {
        var ct = TestContext.Current.CancellationToken;
        const string twin = "wt-01-gbx-hss";
        using var device = await ConnectPublisherAsync(Silo.MqttPort);
        Assert.True(await PublishAsync(device, $"twins/{twin}/telemetry", Json(1, "\"temperature\":50")));
        Assert.True(await PublishAsync(device, $"twins/{twin}/telemetry",
            Json(2, "\"temperature\":120", extra: ",\"units\":{\"temperature\":\"degreeFahrenheit\"}")));
        Assert.True(await PublishAsync(device, $"twins/{twin}/telemetry", Json(3, "\"temperature\":51")));

        // Seq 2 is a dead letter; the twin is told so and applies 3 without waiting for 2 (nothing skipped).
        var status = await WaitForAsync(Grains, twin, s => s.LastSeq == 3, ct);
        Assert.Equal(2, status.Applied);
        Assert.Equal(1, status.Refused);
        Assert.Equal(0, status.Skipped);
    }

    [Fact]
    public async Task An_oversized_mqtt_packet_closes_only_its_own_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        const string twin = "wt-01-gbx";
        using var honest = await ConnectPublisherAsync(Silo.MqttPort);
        using var rogue = await ConnectPublisherAsync(Silo.MqttPort);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rogue.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };

        var huge = new byte[MaxPacket + 1024];
        var rogueSend = PublishAsync(rogue, $"twins/{twin}/telemetry", huge);
        await disconnected.Task.WaitAsync(Patience, ct);
        await Assert.ThrowsAnyAsync<Exception>(() => rogueSend);

        Assert.True(await PublishAsync(honest, $"twins/{twin}/telemetry", Json(1, "\"oilTemperature\":55")));
        var status = await WaitForAsync(Grains, twin, s => s.LastSeq == 1, ct);
        Assert.Equal(1, status.Applied);
        Assert.Contains("over the broker's limit", Silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reported_properties_update_the_twin_and_invalid_ones_are_dead_lettered()
    {
        var ct = TestContext.Current.CancellationToken;
        using var device = await ConnectPublisherAsync(Silo.MqttPort);
        Assert.True(await PublishAsync(device, "twins/wt-02-gbx/properties", Encoding.UTF8.GetBytes("""{"serialNumber":"GBX-REPLACED","stages":3}""")));
        Assert.True(await PublishAsync(device, "twins/wt-02-gbx/properties", Encoding.UTF8.GetBytes("""{"stages":"three"}""")));

        var deadline = DateTime.UtcNow + Patience;
        while (!(await Grains.GetTwin(new TwinId("wt-02-gbx")).Get())!.PropertiesJson.Contains("GBX-REPLACED", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the reported property never reached the twin");
            await Task.Delay(100, ct);
        }

        await WaitForDeadLettersAsync(Grains, c => c.GetValueOrDefault("schema-mismatch") >= 1, ct);
        var letters = await Grains.GetGrain<IDeadLetterGrain>(0).List("wt-02-gbx", "schema-mismatch", 10, null);
        Assert.Contains(letters.Items, d => d.Topic == "twins/wt-02-gbx/properties");
        Assert.Contains("\"stages\":3", (await Grains.GetTwin(new TwinId("wt-02-gbx")).Get())!.PropertiesJson, StringComparison.Ordinal);
    }
}
