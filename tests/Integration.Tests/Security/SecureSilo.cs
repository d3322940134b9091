using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;

namespace TwinCluster.Integration.Tests.Security;

/// <summary>
/// A real silo in the embedded mode with device authentication required, MQTT over TLS only (a development
/// certificate it makes in its own security directory, a temp directory), and credentials made with the real CLI.
/// </summary>
internal sealed class SecureSilo : IAsyncDisposable
{
    private SecureSilo(SiloProcess silo, string clusterId, string directory, int tlsPort)
    {
        Silo = silo;
        ClusterId = clusterId;
        Directory = directory;
        TlsPort = tlsPort;
    }

    public SiloProcess Silo { get; }

    public string ClusterId { get; }

    /// <summary>The silo's security directory (token, development certificate).</summary>
    public string Directory { get; }

    public int TlsPort { get; }

    public string CertificatePath => Path.Combine(Directory, "mqtt-dev-cert.pem");

    public static async Task<SecureSilo> StartAsync(string clusterId, bool tlsRequired, IDictionary<string, string>? extra = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("twincluster-security-").FullName;
        var tlsPort = FreeTcpPort.Next();
        var settings = new Dictionary<string, string>
        {
            ["TwinCluster__Security__Directory"] = directory,
            ["TwinCluster__Mqtt__RequireAuthentication"] = "true",
            ["TwinCluster__Mqtt__Tls__DevelopmentCertificate"] = "true",
            ["TwinCluster__Mqtt__Tls__Port"] = tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TwinCluster__Mqtt__Tls__Required"] = tlsRequired ? "true" : "false",
            ["TwinCluster__Mqtt__MaxPacketBytes"] = "65536",
            ["TwinCluster__Mqtt__CredentialCheckInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var silo = SiloProcess.Start(null, clusterId, settings);
        await silo.WaitReadyAsync(1, TestContext.Current.CancellationToken);
        return new SecureSilo(silo, clusterId, directory, tlsPort);
    }

    /// <summary>The CLI over the silo's HTTP API, signed in with its admin token.</summary>
    public string[] Cli(params string[] args) => [.. CliProcess.Http(Silo), .. args];

    /// <summary><c>twin devices add</c>: the credential it printed as JSON.</summary>
    public async Task<Credential> AddDeviceAsync(string twin, params string[] more)
    {
        var args = more.Length == 0 ? Cli("devices", "add", twin, "--json") : Cli("devices", "add", twin, "--twins", string.Join(",", more), "--json");
        var result = await CliProcess.RunAsync(args);
        Assert.True(result.Exit == 0, $"twin devices add {twin} exited {result.Exit}: {result.Err}");
        return Credential.Parse(result.Out);
    }

    /// <summary>Trusts exactly the silo's development certificate (as <c>mosquitto_pub --cafile</c> does).</summary>
    public bool Trusts(X509Certificate? presented, SslPolicyErrors errors)
    {
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CertificatePath));
        return CertificateTrust.ChainsTo(ca, presented);
    }

    /// <summary>Connects a device over TLS (or plain MQTT to <paramref name="port"/> when <paramref name="tls"/> is false).</summary>
    public async Task<(MqttClientConnectResult? Result, IMqttClient Client, Exception? Error)> ConnectAsync(
        string? username, string? password, string? clientId = null, bool tls = true, int? port = null,
        MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port ?? TlsPort)
            .WithClientId(clientId ?? "")
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (username is not null)
        {
            builder = builder.WithCredentials(username, password ?? "");
        }

        if (tls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost("localhost")
                .WithCertificateValidationHandler(e => Trusts(e.Certificate, e.SslPolicyErrors)));
        }

        var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            return (await client.ConnectAsync(builder.Build(), TestContext.Current.CancellationToken), client, null);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Adapter.MqttConnectingFailedException
                                       or OperationCanceledException or System.Net.Sockets.SocketException or IOException)
        {
            return (null, client, ex);
        }
    }

    /// <summary>Runs <c>mosquitto_pub</c> with <paramref name="args"/>: exit code and output.</summary>
    public static async Task<(int Exit, string Output)> MosquittoPubAsync(params string[] args)
    {
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Skips the calling test when the Mosquitto client tools are not installed.</summary>
    public static void SkipUnlessMosquittoClients()
    {
        if (!File.Exists("/usr/bin/mosquitto_pub"))
        {
            Assert.Skip("mosquitto_pub was not found: install the Debian package mosquitto-clients (scripts/test does so when run as root).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A device credential as <c>twin devices add --json</c> prints it.</summary>
internal sealed record Credential(string ClientId, string Username, string Password)
{
    public static Credential Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(3, root.EnumerateObject().Count());
        return new Credential(root.GetProperty("clientId").GetString()!, root.GetProperty("username").GetString()!, root.GetProperty("password").GetString()!);
    }
}
