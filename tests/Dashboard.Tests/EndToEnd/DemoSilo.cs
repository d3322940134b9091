using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TwinCluster.Dashboard.Tests.EndToEnd;

/// <summary>
/// A real silo process started as a person would, <c>--demo</c> (the example farm with simulated telemetry; the
/// demo's wt-01-gen-de develops an outer-race defect), on free loopback ports with its own security folder, so its
/// admin token and sign-in link are this test run's. The built CLI (twin) talks to it through its gateway.
/// </summary>
public sealed partial class DemoSilo : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "twincluster-dashboard-" + Guid.NewGuid().ToString("N")[..8]);

    public string ClusterId { get; } = "dash-" + Guid.NewGuid().ToString("N")[..8];

    public int HttpsPort { get; private set; }

    public int HttpPort { get; private set; }

    public int GatewayPort { get; private set; }

    /// <summary>The link the silo printed: https://127.0.0.1:PORT/?token=…</summary>
    public string SignInLink { get; private set; } = "";

    public string Origin => $"https://127.0.0.1:{HttpsPort}";

    /// <summary>The silo's process id (the benchmark reads its memory).</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>Screenshots of the run (also copied to docs/images by the tests that make the README's).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "tests", "Dashboard.Tests", "bin", "screenshots");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Skips instead of starting anything when there is no browser to test with.</summary>
    public static bool BrowserAvailable => Chromium.Find() is not null;

    public async ValueTask InitializeAsync()
    {
        if (!BrowserAvailable)
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(ScreenshotFolder);
        int Free()
        {
            using var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return ((IPEndPoint)l.LocalEndpoint).Port;
        }

        HttpPort = Free();
        HttpsPort = Free();
        GatewayPort = Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SiloDll);
        start.ArgumentList.Add("--demo");
        var env = new Dictionary<string, string>
        {
            ["TwinCluster__ClusterId"] = ClusterId,
            ["TwinCluster__SiloPort"] = Free().ToString(CultureInfo.InvariantCulture),
            ["TwinCluster__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["TwinCluster__HttpPort"] = HttpPort.ToString(CultureInfo.InvariantCulture),
            ["TwinCluster__HttpsPort"] = HttpsPort.ToString(CultureInfo.InvariantCulture),
            ["TwinCluster__Mqtt__Port"] = Free().ToString(CultureInfo.InvariantCulture),
            ["TwinCluster__Api__DevelopmentCertificateFolder"] = Path.Combine(Folder, "https"),
            ["TwinCluster__Security__Directory"] = Path.Combine(Folder, "security"),
            // The benchmark reads the silo's managed memory after a forced collection (admin only, off by default).
            ["TwinCluster__DashboardDiagnostics"] = "true",
        };
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the demo silo exited with {_process.ExitCode}:\n{Output}");
            }

            if (LinkPattern().Match(Output) is { Success: true } m)
            {
                SignInLink = m.Value;
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the demo silo printed no dashboard link within 120 s:\n{Output}");
    }

    /// <summary>The admin token from the silo's security folder.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(Folder, "security", "token")).Trim();

    /// <summary>Runs the built CLI against this silo's gateway; returns its exit code and standard output.</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> TwinAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "src", "Client", "Cli", "bin", Configuration, "net10.0", "twin.dll"));
        // The CLI works through the HTTP API with a token; only token creation may take the gateway (the bootstrap).
        string[] connection = args is ["auth", "token", "create", ..]
            ? ["--gateway", $"127.0.0.1:{GatewayPort}", "--cluster-id", ClusterId]
            : ["--url", Origin, "--token", AdminToken, "--cacert", Path.Combine(Folder, "https", "ca.pem")];
        foreach (var c in connection)
        {
            start.ArgumentList.Add(c);
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>A new API token with <paramref name="role"/>, made with <c>twin auth token create</c>.</summary>
    public async Task<string> CreateTokenAsync(string role)
    {
        var (exit, stdout, stderr) = await TwinAsync("auth", "token", "create", "--role", role, "--name", "e2e-" + role, "--json");
        Assert.True(exit == 0, $"twin auth token create: {exit} {stderr}");
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.GetProperty("token").GetString()!;
    }

    private static string SiloDll => Path.Combine(RepositoryRoot(), "src", "Silo", "bin", Configuration, "net10.0", "TwinCluster.Silo.dll");

    // tests/Dashboard.Tests/bin/<Configuration>/net10.0
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TwinCluster.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"https://127\.0\.0\.1:\d+/\?token=tct_[A-Za-z0-9_\-%]+")]
    private static partial Regex LinkPattern();

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoSilo>
{
    public const string Name = "demo silo";
}
