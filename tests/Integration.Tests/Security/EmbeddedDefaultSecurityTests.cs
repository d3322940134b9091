using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using TwinCluster.Client;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;
using TwinCluster.Wire;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.Security;

/// <summary>
/// The embedded default as a user starts it (no security settings, its security directory moved to a temp
/// directory): anonymous devices on loopback, said at start-up; an admin token file; and devices exported to a real
/// Mosquitto that runs with <c>allow_anonymous false</c>.
/// </summary>
public sealed class EmbeddedDefaultSecurityTests : IAsyncLifetime
{
    private SiloProcess? _silo;
    private TwinClusterConnection? _connection;
    private string? _directory;

    private SiloProcess Silo => _silo!;

    private IGrainFactory Grains => _connection!.Client;

    public async ValueTask InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("twincluster-security-").FullName;
        _silo = SiloProcess.Start(null, "embsec", new Dictionary<string, string> { ["TwinCluster__Security__Directory"] = _directory });
        await _silo.WaitReadyAsync(1, TestContext.Current.CancellationToken);
        _connection = await ConnectAsync(_silo.GatewayPort, "embsec");
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

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string[] Cli(params string[] args) => [.. CliProcess.Http(Silo), .. args];

    [Fact]
    public async Task At_start_up_the_silo_says_the_api_requires_a_sign_in_and_it_does()
    {
        var ct = TestContext.Current.CancellationToken;
        // What start-up says about the API's sign-in is what the API does (it once said "not enforced yet" while it was).
        Assert.Contains("The HTTP API requires a sign-in", Silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not enforced", Silo.Output, StringComparison.OrdinalIgnoreCase);

        using var stranger = Api.ApiSilo.CreateClient(new Uri($"https://127.0.0.1:{Silo.HttpsPort}"));
        using var refused = await stranger.GetAsync("/digitaltwins/wt-01?api-version=2023-10-31", ct);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        using var admin = Api.ApiSilo.CreateClient(new Uri($"https://127.0.0.1:{Silo.HttpsPort}"), Silo.AdminToken);
        using var read = await admin.GetAsync("/digitaltwins/wt-01?api-version=2023-10-31", ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task The_embedded_default_accepts_anonymous_devices_on_loopback_says_so_and_still_checks_credentials()
    {
        SecureSilo.SkipUnlessMosquittoClients();
        var ct = TestContext.Current.CancellationToken;
        Assert.Contains("embedded default on loopback accepts anonymous clients", Silo.Output, StringComparison.Ordinal);

        // mosquitto_pub without -i: MQTT 3.1.1, empty client id, clean session (refused with CONNACK 2 before).
        var pub = await SecureSilo.MosquittoPubAsync("-h", "127.0.0.1", "-p", Silo.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-q", "1", "-t", "twins/wt-01-mb/telemetry", "-m", System.Text.Encoding.UTF8.GetString(Json(1, "\"temperature\":20.5")));
        Assert.True(pub.Exit == 0, $"mosquitto_pub exited {pub.Exit}: {pub.Output}");
        Assert.Equal(1L, (await WaitForAsync(Grains, "wt-01-mb", s => s.Applied >= 1, ct)).LastSeq);

        // A device that signs in is checked even here: a wrong password is refused, and it keeps to its twins.
        var added = await CliProcess.RunAsync(Cli("devices", "add", "wt-02-mb", "--json"));
        var device = Credential.Parse(added.Out);
        var wrong = await SecureSilo.MosquittoPubAsync("-h", "127.0.0.1", "-p", Silo.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-u", device.Username, "-P", "not-" + device.Password, "-q", "1", "-t", "twins/wt-02-mb/telemetry", "-m", "{}");
        Assert.NotEqual(0, wrong.Exit);
        Assert.Contains("bad user name or password", wrong.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await Grains.GetTwin(new TwinId("wt-02-mb")).GetTelemetry()).Applied);
    }

    [Fact]
    public async Task The_embedded_default_writes_an_admin_token_for_its_owner_only()
    {
        var path = Path.Combine(_directory!, "token");
        Assert.True(File.Exists(path), "no token file; silo output:\n" + Silo.Output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var token = (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).Trim();
        Assert.StartsWith("tct_", token, StringComparison.Ordinal);
        Assert.Contains(path, Silo.Output, StringComparison.Ordinal);
        // The one place the token shows is the dashboard's sign-in link on the console, for the person who started the
        // embedded default on this machine; no log line carries it.
        var link = $"Dashboard: https://127.0.0.1:{Silo.HttpsPort}/?token={Uri.EscapeDataString(token)}";
        Assert.Contains(link, Silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, Silo.Output.Replace(link, "", StringComparison.Ordinal), StringComparison.Ordinal);

        var list = await CliProcess.RunAsync(Cli("auth", "token", "list", "--json"));
        Assert.Equal(0, list.Exit);
        using var tokens = JsonDocument.Parse(list.Out);
        var admin = Assert.Single(tokens.RootElement.EnumerateArray(), t => t.GetProperty("name").GetString() == "embedded-admin");
        Assert.Equal("admin", admin.GetProperty("role").GetString());
        Assert.StartsWith($"tct_{admin.GetProperty("id").GetString()}_", token, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list.Out, StringComparison.Ordinal);

        // Created and revoked through the CLI; both are audited under the CLI's user.
        var created = await CliProcess.RunAsync(Cli("auth", "token", "create", "--role", "operator", "--scope", "wt-01", "--expires", "1d", "--name", "ci", "--json"));
        Assert.True(created.Exit == 0, created.Err);
        using var issued = JsonDocument.Parse(created.Out);
        var id = issued.RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith($"tct_{id}_", issued.RootElement.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await CliProcess.RunAsync(Cli("auth", "token", "revoke", id))).Exit);
        var bad = await CliProcess.RunAsync(Cli("auth", "token", "create", "--role", "owner"));
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--role 'owner'", bad.Err, StringComparison.Ordinal);
        var audit = await CliProcess.RunAsync(Cli("audit", "--since", "1h", "--json"));
        using var entries = JsonDocument.Parse(audit.Out);
        var operations = entries.RootElement.EnumerateArray().Where(e => e.GetProperty("target").GetString() == $"token:{id}")
            .Select(e => e.GetProperty("operation").GetString()).ToList();
        Assert.Equal(["token.revoke", "token.create"], operations);
    }

    [Fact]
    public async Task Exported_files_make_a_real_mosquitto_accept_each_device_for_its_own_twins_only()
    {
        MosquittoBroker.SkipUnlessAvailable();
        var ct = TestContext.Current.CancellationToken;
        var a = Credential.Parse((await CliProcess.RunAsync(Cli("devices", "add", "wt-01-gbx", "--twins", "wt-01-gbx-hss", "--json"))).Out);
        var b = Credential.Parse((await CliProcess.RunAsync(Cli("devices", "add", "wt-02-gbx", "--json"))).Out);
        var export = Directory.CreateTempSubdirectory("twincluster-export-").FullName;
        try
        {
            var servicePassword = Path.Combine(export, "ingress.password");
            await File.WriteAllTextAsync(servicePassword, "ingress-secret-" + Guid.NewGuid().ToString("N"), ct);
            var exported = await CliProcess.RunAsync(Cli("devices", "export", "--mosquitto", export, "--service-user", "twincluster-ingress",
                "--service-password-file", servicePassword));
            Assert.True(exported.Exit == 0, exported.Err);
            var passwordFile = Path.Combine(export, "password_file");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
            }

            Assert.Matches(@"(?m)^wt-01-gbx:\$7\$1000\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$", await File.ReadAllTextAsync(passwordFile, ct));

            await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
            {
                PasswordFile = passwordFile,
                AclFile = Path.Combine(export, "acl_file"),
                Username = "twincluster-ingress",
                Password = (await File.ReadAllTextAsync(servicePassword, ct)).Trim(),
            }, ct);

            // The ingress's service user reads every twin's topics.
            using var ingress = new MqttClientFactory().CreateMqttClient();
            var received = new List<string>();
            ingress.ApplicationMessageReceivedAsync += e =>
            {
                lock (received)
                {
                    received.Add(e.ApplicationMessage.Topic);
                }

                return Task.CompletedTask;
            };
            Assert.Equal(MqttClientConnectResultCode.Success, (await ingress.ConnectAsync(Options(broker.Port, broker.Username, broker.Password), ct)).ResultCode);
            await ingress.SubscribeAsync("twins/#", MqttQualityOfServiceLevel.AtLeastOnce, ct);

            var service = (broker.Username, broker.Password);
            var cases = new List<(string Name, Func<Task<string?>> Run)>
            {
                ("wrong password", () => RefusedConnect(broker.Port, a.Username, "x" + a.Password)),
                ("anonymous", () => RefusedConnect(broker.Port, null, null)),
                ("another device's password", () => RefusedConnect(broker.Port, a.Username, b.Password)),
                ("publish to another device's twin", () => RefusedPublish(broker.Port, a, "twins/wt-02-gbx/telemetry")),
                // Mosquitto 2.0 grants such a SUBACK and then delivers nothing the ACL does not let the user read.
                ("receive another twin's commands", () => NothingDelivered(broker.Port, a, service, service, "twins/wt-02-gbx/commands/#", "twins/wt-02-gbx/commands/reboot/c-1")),
                ("receive another twin's telemetry", () => NothingDelivered(broker.Port, a, (b.Username, b.Password), service, "twins/wt-02-gbx/telemetry", "twins/wt-02-gbx/telemetry")),
                // The request direction of its own twins is the relay's: a device may not send itself (or its twin's other sessions) commands.
                ("publish a command request to its own twin", () => RefusedPublish(broker.Port, a, "twins/wt-01-gbx/commands/stop/c-1")),
                ("publish over its own twin's desired document", () => RefusedPublish(broker.Port, a, "twins/wt-01-gbx-hss/desired/document")),
            };
            var denied = 0;
            var failures = new List<string>();
            foreach (var (name, run) in cases)
            {
                if (await run() is { } problem)
                {
                    failures.Add($"{name}: {problem}");
                }
                else
                {
                    denied++;
                }
            }

            // Positive: each device publishes for its own twins and subscribes to its commands; the ingress sees only those.
            using (var device = new MqttClientFactory().CreateMqttClient())
            {
                Assert.Equal(MqttClientConnectResultCode.Success, (await device.ConnectAsync(Options(broker.Port, a.Username, a.Password), ct)).ResultCode);
                var sub = await device.SubscribeAsync("twins/wt-01-gbx-hss/commands/#", MqttQualityOfServiceLevel.AtLeastOnce, ct);
                Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(sub.Items).ResultCode);
                foreach (var topic in new[] { "twins/wt-01-gbx/telemetry", "twins/wt-01-gbx-hss/telemetry", "twins/wt-01-gbx/replies/c-1", "twins/wt-01-gbx-hss/replies/c-2/200" })
                {
                    var ack = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{}")
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
                    Assert.True(ack.IsSuccess, $"{topic}: {ack.ReasonCode}");
                }
            }

            string[] expected = ["twins/wt-01-gbx/telemetry", "twins/wt-01-gbx-hss/telemetry", "twins/wt-01-gbx/replies/c-1", "twins/wt-01-gbx-hss/replies/c-2/200"];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (DateTime.UtcNow < deadline && !expected.All(t => Snapshot(received).Contains(t)))
            {
                await Task.Delay(50, ct);
            }

            Assert.All(expected, t => Assert.Contains(t, Snapshot(received)));

            var line = $"{cases.Count} cases, {denied} denied";
            Console.WriteLine(line);
            TestContext.Current.TestOutputHelper?.WriteLine(line);
            Assert.True(failures.Count == 0, line + "\n" + string.Join("\n", failures) + "\n" + broker.ReadLog());
        }
        finally
        {
            Directory.Delete(export, recursive: true);
        }
    }

    private static List<string> Snapshot(List<string> received)
    {
        lock (received)
        {
            return [.. received];
        }
    }

    private static MqttClientOptions Options(int port, string? username, string? password)
    {
        var builder = new MqttClientOptionsBuilder().WithTcpServer(MosquittoBroker.Host, port)
            .WithClientId($"t-{Guid.NewGuid():N}"[..20]).WithTimeout(TimeSpan.FromSeconds(10));
        return (username is null ? builder : builder.WithCredentials(username, password)).Build();
    }

    // Null when Mosquitto refused the CONNECT, otherwise what happened.
    private static async Task<string?> RefusedConnect(int port, string? username, string? password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            var result = await client.ConnectAsync(Options(port, username, password), TestContext.Current.CancellationToken);
            return result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized && !client.IsConnected
                ? null
                : $"CONNACK {result.ResultCode}";
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException ex)
        {
            return ex.Message.Contains("BadUserNameOrPassword", StringComparison.Ordinal) || ex.Message.Contains("NotAuthorized", StringComparison.Ordinal)
                ? null
                : ex.Message;
        }
    }

    // Subscribes as `reader` to `filter`, has `writer` publish to `topic`, then the service user (the relay's) publish a
    // marker to the reader's own commands: once the marker arrives, nothing from `topic` may have arrived before it.
    private static async Task<string?> NothingDelivered(int port, Credential reader, (string User, string Password) writer, (string User, string Password) service,
        string filter, string topic)
    {
        var ct = TestContext.Current.CancellationToken;
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var got = new List<string>();
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            lock (got)
            {
                got.Add(e.ApplicationMessage.Topic);
            }

            if (e.ApplicationMessage.Topic == "twins/wt-01-gbx-hss/commands/marker")
            {
                marker.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options(port, reader.Username, reader.Password), ct);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("twins/wt-01-gbx-hss/commands/#", MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        using (var publisher = new MqttClientFactory().CreateMqttClient())
        {
            await publisher.ConnectAsync(Options(port, writer.User, writer.Password), ct);
            var ack = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{}")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
            if (!ack.IsSuccess)
            {
                return $"the owner could not publish to {topic}: {ack.ReasonCode}";
            }
        }

        using (var relay = new MqttClientFactory().CreateMqttClient())
        {
            await relay.ConnectAsync(Options(port, service.User, service.Password), ct);
            await relay.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("twins/wt-01-gbx-hss/commands/marker").WithPayload("m")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        }

        await marker.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
        lock (got)
        {
            return got.Contains(topic) ? $"received {topic}" : null;
        }
    }

    private static async Task<string?> RefusedPublish(int port, Credential device, string topic)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(Options(port, device.Username, device.Password), TestContext.Current.CancellationToken);
        var ack = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{}")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), TestContext.Current.CancellationToken);
        return ack.ReasonCode == MqttClientPublishReasonCode.NotAuthorized ? null : $"PUBACK {ack.ReasonCode}";
    }
}
