using System.Diagnostics;
using System.Globalization;
using System.Text;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Integration.Tests.Telemetry;

namespace TwinCluster.Integration.Tests.Scaling;

/// <summary>Signals for graceful stops: what Kubernetes sends (SIGTERM) and Ctrl+C (SIGINT).</summary>
internal static class Signals
{
    public static void Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} exited {kill.ExitCode}");
        }
    }
}

/// <summary>
/// A real <c>twin-ingress</c> process on a shared subscription, with its health port known, that can be stopped as
/// Kubernetes stops a pod (SIGTERM, then waiting for the drain).
/// </summary>
internal sealed class ScalingIngress : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ScalingIngress(Process process, string clientId, int httpPort)
    {
        _process = process;
        ClientId = clientId;
        HttpPort = httpPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string ClientId { get; }

    public int HttpPort { get; }

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

    public static ScalingIngress Start(string connectionString, string clusterId, int brokerPort, string clientId, string username, string password)
    {
        var port = FreeTcpPort.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(IngressProcess.Dll);
        start.Environment["ConnectionStrings__TwinCluster"] = connectionString;
        start.Environment["TwinCluster__ClusterId"] = clusterId;
        start.Environment["TwinCluster__HttpPort"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["TwinCluster__Ingress__Broker__Host"] = "127.0.0.1";
        start.Environment["TwinCluster__Ingress__Broker__Port"] = brokerPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["TwinCluster__Ingress__Broker__ClientId"] = clientId;
        start.Environment["TwinCluster__Ingress__Broker__Username"] = username;
        start.Environment["TwinCluster__Ingress__Broker__Password"] = password;
        start.Environment["TwinCluster__Ingress__Broker__SharedGroup"] = "scaling";
        start.Environment["Logging__LogLevel__TwinCluster"] = "Information";
        return new ScalingIngress(Process.Start(start) ?? throw new InvalidOperationException("could not start twin-ingress"), clientId, port);
    }

    /// <summary>Polls /readyz until it says connected to the broker.</summary>
    public async Task WaitReadyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ingress {ClientId} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/readyz"), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"ingress {ClientId} not ready within 90 s:\n{Output}");
    }

    /// <summary>SIGTERM, then the exit code once it has drained and disconnected.</summary>
    public async Task<int> StopAsync(CancellationToken ct)
    {
        Signals.Send(_process.Id, "TERM");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

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
}

/// <summary><c>twin simulate</c> as a process that runs until it is interrupted (SIGINT), then prints its JSON summary.</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly StringBuilder _stderr = new();

    private SimulatorProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static SimulatorProcess Start(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = CliProcess.RepoRoot };
        start.ArgumentList.Add(CliProcess.Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new SimulatorProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start twin simulate"));
    }

    /// <summary>Ctrl+C: the simulator stops generating, waits for the broker's acknowledgements and prints its summary.</summary>
    public async Task<(int Exit, string Out)> InterruptAsync(CancellationToken ct)
    {
        Signals.Send(_process.Id, "INT");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
        return (_process.ExitCode, await _stdout);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
