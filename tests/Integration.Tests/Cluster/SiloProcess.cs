using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using TwinCluster.Integration.Tests.Infrastructure;

namespace TwinCluster.Integration.Tests.Cluster;

/// <summary>A real TwinCluster silo process (the built src/Silo), on free loopback ports, in PostgreSQL mode.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int siloPort, int gatewayPort, int httpPort, int mqttPort, int httpsPort)
    {
        HttpsPort = httpsPort;
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    /// <summary>The HTTPS API's port (never the default 8443, which another test's silo may hold).</summary>
    public int HttpsPort { get; }

    /// <summary>Where this silo keeps its secrets (TwinCluster:Security:Directory).</summary>
    public string SecurityDirectory { get; private init; } = "";

    /// <summary>The embedded default's admin API token, which the silo writes at start (wait until it is ready).</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(SecurityDirectory, "token")).Trim();

    /// <summary>Where test silos keep their development certificate; clients trust its ca.pem.</summary>
    public static string CertificateFolder { get; } = Path.Combine(Path.GetTempPath(), "twincluster-test-https");

    /// <summary>The embedded MQTT broker's port (it runs by default in the embedded mode; in PostgreSQL mode only with TwinCluster__Mqtt__Enabled=true).</summary>
    public int MqttPort { get; }

    /// <summary>The process id, for CPU accounting.</summary>
    public int ProcessId => _process.Id;

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

    public static string SiloDll
    {
        get
        {
            // tests/Integration.Tests/bin/<Configuration>/net10.0 → src/Silo/bin/<Configuration>/net10.0
            var here = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = here.Parent!.Name;
            var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "Silo", "bin", configuration, here.Name, "TwinCluster.Silo.dll");
        }
    }

    /// <param name="dll">Another build of the silo (a publish output) instead of <see cref="SiloDll"/>.</param>
    /// <param name="launcher">A command and its arguments that run <c>dotnet</c> (e.g. <c>setpriv</c> as another user).</param>
    public static SiloProcess Start(string? connectionString, string clusterId, IDictionary<string, string>? extra = null, string? dll = null, IReadOnlyList<string>? launcher = null)
    {
        dll ??= SiloDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"the silo is not built at {dll}");
        }

        int siloPort = FreeTcpPort.Next(), gatewayPort = FreeTcpPort.Next(), httpPort = FreeTcpPort.Next(), mqttPort = FreeTcpPort.Next(), httpsPort = FreeTcpPort.Next();
        var start = DotnetCommand(dll, launcher);
        if (connectionString is not null)
        {
            start.Environment["ConnectionStrings__TwinCluster"] = connectionString;
        }

        start.Environment["TwinCluster__ClusterId"] = clusterId;
        start.Environment["TwinCluster__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["TwinCluster__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["TwinCluster__HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["TwinCluster__HttpsPort"] = httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["TwinCluster__Api__DevelopmentCertificateFolder"] = CertificateFolder;
        // Each silo keeps its secrets (the embedded default's admin token) in its own directory, never the user's.
        var securityDirectory = Path.Combine(Path.GetTempPath(), "twincluster-test-security", clusterId + "-" + httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["TwinCluster__Security__Directory"] = securityDirectory;
        // Never the default 1883: a system Mosquitto or another test's silo may hold it.
        start.Environment["TwinCluster__Mqtt__Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Short failure detection: a killed silo is declared dead in seconds, not tens of seconds.
        start.Environment["TwinCluster__Membership__ProbeTimeout"] = "00:00:01";
        start.Environment["TwinCluster__Membership__NumMissedProbesLimit"] = "2";
        start.Environment["TwinCluster__Membership__NumVotesForDeathDeclaration"] = "1";
        start.Environment["TwinCluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:02";
        if (connectionString is not null)
        {
            // PostgreSQL mode requires devices to sign in by default; the tests that publish through its built-in broker
            // do so as anonymous simulators, being about telemetry, health or history (the security tests sign in).
            start.Environment["TwinCluster__Mqtt__RequireAuthentication"] = "false";
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo process");
        return new SiloProcess(process, siloPort, gatewayPort, httpPort, mqttPort, httpsPort) { SecurityDirectory = start.Environment["TwinCluster__Security__Directory"]! };
    }

    /// <summary>
    /// <c>dotnet DLL</c> with its output redirected, run through <paramref name="launcher"/> (a command and its arguments,
    /// e.g. <c>setpriv</c> as another user) when one is given.
    /// </summary>
    public static ProcessStartInfo DotnetCommand(string dll, IReadOnlyList<string>? launcher = null)
    {
        var start = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in launcher?.Skip(1) ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        if (launcher is { Count: > 0 })
        {
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(dll);
        return start;
    }

    /// <summary>Polls /readyz until the silo sees <paramref name="activeSilos"/> active silos, or fails with its log.</summary>
    public async Task WaitReadyAsync(int activeSilos, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        string last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/readyz"), cancellationToken);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
                if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<Ready>(cancellationToken))?.ActiveSilos == activeSilos)
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                last = ex.Message;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"silo on {HttpPort} did not see {activeSilos} active silo(s) within 90 s (last: {last}):\n{Output}");
    }

    /// <summary>kill -9: no goodbye to the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
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

    private sealed record Ready(int ActiveSilos);
}
