using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using TwinCluster.Client;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;
using TwinCluster.Integration.Tests.Cli;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.Security;

/// <summary>
/// Devices against the built-in broker of a real silo that requires credentials and serves MQTT over TLS only, with
/// credentials from the real CLI: every refusal is checked together with what it must not have changed.
/// </summary>
public sealed class DeviceSecurityTests : IAsyncLifetime
{
    private const string Own = "wt-01-mb";        // device A: its own twin plus wt-01-gbx-hss
    private const string Extra = "wt-01-gbx-hss";
    private const string Victim = "wt-02-mb";     // device B
    private const string Revoked = "wt-01-gen-de";
    private const string Rotated = "wt-02-gen-de";

    private SecureSilo? _silo;
    private TwinClusterConnection? _connection;
    private Credential? _a;
    private Credential? _b;

    private SecureSilo S => _silo!;

    private IGrainFactory Grains => _connection!.Client;

    public async ValueTask InitializeAsync()
    {
        _silo = await SecureSilo.StartAsync("devsec", tlsRequired: true);
        _connection = await ConnectAsync(S.Silo.GatewayPort, "devsec");
        await LoadSmallFarmAsync(Grains, TestContext.Current.CancellationToken);
        _a = await S.AddDeviceAsync(Own, Extra);
        _b = await S.AddDeviceAsync(Victim);
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
    public async Task Every_refusal_of_the_device_matrix_holds_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = _a!;
        var cases = new List<(string Name, Func<Task<string?>> Run)>
        {
            ("wrong password", () => RefusedConnect(a.Username, a.Password + "x", MqttClientConnectResultCode.BadUserNameOrPassword)),
            ("unknown user", () => RefusedConnect("no-such-device", a.Password, MqttClientConnectResultCode.BadUserNameOrPassword)),
            ("no credentials", () => RefusedConnect(null, null, MqttClientConnectResultCode.NotAuthorized)),
            ("wrong password over MQTT 3.1.1", () => RefusedConnect(a.Username, "guess", MqttClientConnectResultCode.BadUserNameOrPassword, version: MqttProtocolVersion.V311)),
            ("another device's client id", () => RefusedConnect(a.Username, a.Password, MqttClientConnectResultCode.ClientIdentifierNotValid, clientId: Victim)),
            ("revoked device", RevokedDevice),
            ("rotated-out password", RotatedPassword),
            ("publish to another twin's telemetry", () => RefusedPublish($"twins/{Victim}/telemetry", Victim)),
            ("publish to another twin's properties", () => RefusedPublish($"twins/{Victim}/properties", Victim)),
            ("publish outside twins/", () => RefusedPublish("plant/alarms", null)),
            ("publish a command request to its own twin", () => RefusedPublish($"twins/{Own}/commands/stop/c-1", Own)),
            ("publish over its own twin's desired document", () => RefusedPublish($"twins/{Own}/desired/document", Own)),
            ("publish on an unknown level of its own twin", () => RefusedPublish($"twins/{Own}/firmware", Own)),
            ("subscribe to its own twin's replies", () => RefusedSubscribe($"twins/{Own}/replies/#")),
            ("subscribe to another twin's commands", () => RefusedSubscribe($"twins/{Victim}/commands/#")),
            ("subscribe to another twin's desired properties", () => RefusedSubscribe($"twins/{Victim}/desired/#")),
            ("subscribe to every twin's commands", () => RefusedSubscribe("twins/+/commands/#")),
            ("subscribe to its own telemetry", () => RefusedSubscribe($"twins/{Own}/telemetry")),
            ("subscribe to everything", () => RefusedSubscribe("#")),
            ("plain MQTT on the plain port where TLS is required", () => RefusedPlain(S.Silo.MqttPort)),
            ("plain MQTT on the TLS port", () => RefusedPlain(S.TlsPort)),
            ("oversized CONNECT before authentication", OversizedConnect),
        };

        var denied = 0;
        var failures = new List<string>();
        foreach (var (name, run) in cases)
        {
            var problem = await run();
            if (problem is null)
            {
                denied++;
            }
            else
            {
                failures.Add($"{name}: {problem}");
            }
        }

        // Nothing got through: the victim twin applied nothing until its own device published seq 1, and then only that.
        using (var victim = await Connected(_b!))
        {
            Assert.True(await PublishAsync(victim, $"twins/{Victim}/telemetry", Json(1, "\"temperature\":21.5")));
        }

        var status = await WaitForAsync(Grains, Victim, s => s.Applied >= 1, ct);
        Assert.Equal((1L, 1L), (status.Applied, status.LastSeq));
        Assert.Equal(0, (await Grains.GetTwin(new TwinId(Own)).GetTelemetry()).Applied);
        var line = $"{cases.Count} cases, {denied} denied";
        Console.WriteLine(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Assert.True(failures.Count == 0, line + "\n" + string.Join("\n", failures));
        Assert.Equal(cases.Count, denied);
    }

    [Fact]
    public async Task A_device_publishes_for_its_twins_and_subscribes_to_their_commands_and_desired_properties()
    {
        var ct = TestContext.Current.CancellationToken;
        using var device = await Connected(_a!);
        Assert.True(await PublishAsync(device, $"twins/{Extra}/telemetry", Block(Extra, 1)));
        // Its answers to commands go on its twins' reply topics (MQTT 5 and the MQTT 3.1.1 form with the status).
        foreach (var reply in new[] { $"twins/{Own}/replies/c-1", $"twins/{Extra}/replies/c-2/200" })
        {
            var ack = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(reply).WithPayload("{}")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
            Assert.True(ack.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers, $"{reply}: {ack.ReasonCode}");
        }

        foreach (var filter in new[] { $"twins/{Own}/commands/#", $"twins/{Own}/desired/#", $"twins/{Extra}/commands/reboot" })
        {
            var granted = await device.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(granted.Items).ResultCode);
        }

        // Also with its own client id and a suffix of it (several connections of one device).
        foreach (var clientId in new[] { Own, $"{Own}/logger" })
        {
            var (result, client, error) = await S.ConnectAsync(_a!.Username, _a.Password, clientId);
            using (client)
            {
                Assert.True(result?.ResultCode == MqttClientConnectResultCode.Success, $"client id {clientId}: {result?.ResultCode} {error?.Message}");
            }
        }

        var status = await WaitForAsync(Grains, Extra, s => s.Applied >= 1, ct);
        Assert.Equal(1L, status.LastSeq);

        // The device operations are in the audit log, attributed to the token the CLI signed in with over HTTP.
        var audit = await CliProcess.RunAsync(S.Cli("audit", "--twin", Own, "--json"));
        Assert.Equal(0, audit.Exit);
        using var entries = JsonDocument.Parse(audit.Out);
        Assert.Contains(entries.RootElement.EnumerateArray(), e => e.GetProperty("operation").GetString() == "device.add"
            && e.GetProperty("outcome").GetString() == "ok" && e.GetProperty("principal").GetString() == "token:embedded-admin");
    }

    [Fact]
    public async Task Mosquitto_pub_with_the_certificate_as_cafile_and_no_client_id_publishes_over_tls()
    {
        SecureSilo.SkipUnlessMosquittoClients();
        var ct = TestContext.Current.CancellationToken;
        const string twin = "wt-02-gbx-hss";
        var device = await S.AddDeviceAsync(twin);
        // No -i: MQTT 3.1.1 with an empty client id and a clean session.
        var pub = await SecureSilo.MosquittoPubAsync("-h", "127.0.0.1", "-p", S.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cafile", S.CertificatePath, "-u", device.Username, "-P", device.Password, "-q", "1",
            "-t", $"twins/{twin}/telemetry", "-m", System.Text.Encoding.UTF8.GetString(Json(1, "\"temperature\":30.5")));
        Assert.True(pub.Exit == 0, $"mosquitto_pub exited {pub.Exit}: {pub.Output}");
        var status = await WaitForAsync(Grains, twin, s => s.Applied >= 1, ct);
        Assert.Equal(1L, status.LastSeq);

        // The same without --cafile: the client does not trust the certificate, nothing is sent.
        var untrusted = await SecureSilo.MosquittoPubAsync("-h", "127.0.0.1", "-p", S.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--capath", "/nonexistent", "-u", device.Username, "-P", device.Password, "-q", "1",
            "-t", $"twins/{twin}/telemetry", "-m", System.Text.Encoding.UTF8.GetString(Json(2, "\"temperature\":31.5")));
        Assert.NotEqual(0, untrusted.Exit);
    }

    private async Task<IMqttClient> Connected(Credential credential)
    {
        var (result, client, error) = await S.ConnectAsync(credential.Username, credential.Password);
        Assert.True(result?.ResultCode == MqttClientConnectResultCode.Success, $"{credential.Username} could not connect: {result?.ResultCode} {error}");
        return client;
    }

    // Null when refused as expected, otherwise what happened instead.
    private async Task<string?> RefusedConnect(string? username, string? password, MqttClientConnectResultCode expected,
        string? clientId = null, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var (result, client, error) = await S.ConnectAsync(username, password, clientId, version: version);
        using (client)
        {
            if (version == MqttProtocolVersion.V311 && expected == MqttClientConnectResultCode.BadUserNameOrPassword
                && result?.ResultCode == MqttClientConnectResultCode.BadUserNameOrPassword)
            {
                return client.IsConnected ? "connected anyway" : null;
            }

            return result?.ResultCode == expected && !client.IsConnected ? null : $"expected {expected}, got {result?.ResultCode.ToString() ?? error?.Message}";
        }
    }

    private async Task<string?> RevokedDevice()
    {
        var credential = await S.AddDeviceAsync(Revoked);
        using var open = await Connected(credential);
        var revoke = await CliProcess.RunAsync(S.Cli("devices", "revoke", Revoked));
        if (revoke.Exit != 0)
        {
            return $"revoke exited {revoke.Exit}: {revoke.Err}";
        }

        // The open connection is closed within the credential check interval (0.5 s here).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (open.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        if (open.IsConnected)
        {
            return "the open connection of the revoked device stayed up";
        }

        var list = await CliProcess.RunAsync(S.Cli("devices", "list", "--json"));
        using var devices = JsonDocument.Parse(list.Out);
        if (!devices.RootElement.EnumerateArray().Any(d => d.GetProperty("username").GetString() == Revoked && d.GetProperty("revokedAt").ValueKind == JsonValueKind.String))
        {
            return "devices list does not show it revoked";
        }

        return await RefusedConnect(credential.Username, credential.Password, MqttClientConnectResultCode.BadUserNameOrPassword);
    }

    private async Task<string?> RotatedPassword()
    {
        var old = await S.AddDeviceAsync(Rotated);
        var rotate = await CliProcess.RunAsync(S.Cli("devices", "rotate", Rotated, "--json"));
        if (rotate.Exit != 0)
        {
            return $"rotate exited {rotate.Exit}: {rotate.Err}";
        }

        var fresh = Credential.Parse(rotate.Out);
        using (var client = await Connected(fresh))
        {
            // The new password works.
        }

        return fresh.Password == old.Password ? "rotate kept the password" : await RefusedConnect(old.Username, old.Password, MqttClientConnectResultCode.BadUserNameOrPassword);
    }

    private async Task<string?> RefusedPublish(string topic, string? twin)
    {
        var before = await NotAuthorizedLetters(twin);
        using var device = await Connected(_a!);
        var result = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Json(7, "\"temperature\":99.5"))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), TestContext.Current.CancellationToken);
        if (result.ReasonCode != MqttClientPublishReasonCode.NotAuthorized)
        {
            return $"PUBACK {result.ReasonCode}";
        }

        // The dead letter is stored before the PUBACK is sent.
        var after = await NotAuthorizedLetters(twin);
        return after == before + 1 ? null : $"not-authorized dead letters {before} → {after}";
    }

    private async Task<int> NotAuthorizedLetters(string? twin)
    {
        var page = await Grains.GetGrain<IDeadLetterGrain>(0).List(twin, DeadLetterReason.NotAuthorized.ToCode(), 1000, null);
        return twin is null ? page.Items.Count(d => d.TwinId is null) : page.Items.Length;
    }

    private async Task<string?> RefusedSubscribe(string filter)
    {
        using var device = await Connected(_a!);
        var result = await device.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter).Build(), TestContext.Current.CancellationToken);
        var code = Assert.Single(result.Items).ResultCode;
        return code == MqttClientSubscribeResultCode.NotAuthorized ? null : $"SUBACK {code}";
    }

    private async Task<string?> RefusedPlain(int port)
    {
        var (result, client, error) = await S.ConnectAsync(_a!.Username, _a.Password, tls: false, port: port);
        using (client)
        {
            return result is null && !client.IsConnected ? null : $"connected over plain MQTT: {result?.ResultCode} {error?.Message}";
        }
    }

    // A CONNECT announcing 268 MB, sent inside TLS before any credential: the broker must close the connection
    // without allocating it or answering, and keep serving others.
    private async Task<string?> OversizedConnect()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", S.TlsPort, TestContext.Current.CancellationToken);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, errors) => S.Trusts(certificate, errors));
        await tls.AuthenticateAsClientAsync("localhost");
        await tls.WriteAsync(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T' }, TestContext.Current.CancellationToken);
        await tls.FlushAsync(TestContext.Current.CancellationToken);
        var buffer = new byte[16];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        int read;
        try
        {
            read = await tls.ReadAsync(buffer, deadline.Token);
        }
        catch (IOException)
        {
            read = 0;
        }
        catch (OperationCanceledException)
        {
            return "the connection stayed open";
        }

        if (read != 0)
        {
            return $"the broker answered {read} bytes";
        }

        // Still serving: a device signs in afterwards.
        using var after = await Connected(_a!);
        return after.IsConnected ? null : "the broker stopped serving";
    }
}
