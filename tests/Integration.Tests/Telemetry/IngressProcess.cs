using System.Diagnostics;
using System.Text;
using TwinCluster.Integration.Tests.Cluster;

namespace TwinCluster.Integration.Tests.Telemetry;

/// <summary>A real standalone ingress process (the built src/Ingress/Host, <c>twin-ingress</c>) reading an external broker.</summary>
internal sealed class IngressProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private IngressProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

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

    public static string Dll => Path.Combine(Path.GetDirectoryName(SiloProcess.SiloDll)!, "../../../../Ingress/Host/bin",
        new DirectoryInfo(Path.GetDirectoryName(SiloProcess.SiloDll)!).Parent!.Name, "net10.0", "twin-ingress.dll");

    public static IngressProcess Start(string connectionString, string clusterId, int brokerPort, string clientId, string? sharedGroup = null,
        string? username = null, string? password = null)
    {
        if (!File.Exists(Dll))
        {
            throw new FileNotFoundException($"the ingress is not built at {Dll}");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        start.Environment["ConnectionStrings__TwinCluster"] = connectionString;
        start.Environment["TwinCluster__ClusterId"] = clusterId;
        start.Environment["TwinCluster__Ingress__Broker__Host"] = "127.0.0.1";
        start.Environment["TwinCluster__Ingress__Broker__Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["TwinCluster__Ingress__Broker__ClientId"] = clientId;
        if (sharedGroup is not null)
        {
            start.Environment["TwinCluster__Ingress__Broker__SharedGroup"] = sharedGroup;
        }

        if (username is not null)
        {
            start.Environment["TwinCluster__Ingress__Broker__Username"] = username;
            start.Environment["TwinCluster__Ingress__Broker__Password"] = password ?? "";
        }

        return new IngressProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the ingress process"));
    }

    /// <summary>Waits for the ingress to say it is connected to the broker, or fails with its log.</summary>
    public async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connected.Task.WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the ingress never connected to the broker:\n{Output}");
        }
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("connected to MQTT broker", StringComparison.Ordinal) || _output.ToString().Contains("connected to MQTT broker", StringComparison.Ordinal))
        {
            _connected.TrySetResult();
        }

        if (_process.HasExited)
        {
            _connected.TrySetException(new InvalidOperationException($"the ingress exited with {_process.ExitCode}:\n{Output}"));
        }
    }
}
