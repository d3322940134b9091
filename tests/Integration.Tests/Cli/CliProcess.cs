using System.Diagnostics;
using TwinCluster.Integration.Tests.Cluster;
using Xunit;

namespace TwinCluster.Integration.Tests.Cli;

/// <summary>Runs the built <c>twin</c> CLI as a process and captures its exit code and output.</summary>
internal static class CliProcess
{
    public static string Dll => SiloProcess.SiloDll
        .Replace(Path.Combine("src", "Silo"), Path.Combine("src", "Client", "Cli"), StringComparison.Ordinal)
        .Replace("TwinCluster.Silo.dll", "twin.dll", StringComparison.Ordinal);

    public static string RepoRoot => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SiloProcess.SiloDll)!, "../../../../.."));

    /// <summary>The test silos' development CA (they share one certificate folder).</summary>
    public static string CaPath => Path.Combine(SiloProcess.CertificateFolder, "ca.pem");

    /// <summary>The options that point the CLI at a silo's HTTP API, signed in with <paramref name="token"/> (default: its admin token).</summary>
    public static string[] Http(SiloProcess silo, string? token = null, string? ca = null) =>
        ["--url", $"https://127.0.0.1:{silo.HttpsPort}", "--token", token ?? silo.AdminToken, "--cacert", ca ?? CaPath];

    /// <summary>The options for the commands that keep the Orleans gateway (simulate, bench, the first token).</summary>
    public static string[] Gateway(SiloProcess silo, string clusterId) => ["--gateway", $"127.0.0.1:{silo.GatewayPort}", "--cluster-id", clusterId];

    /// <summary>
    /// PostgreSQL mode has no token file: the first admin token is made through the gateway, as the README tells an
    /// operator to (<c>twin --gateway HOST:PORT auth token create --role admin</c>).
    /// </summary>
    public static async Task<string> BootstrapAdminTokenAsync(SiloProcess silo, string clusterId)
    {
        var created = await RunAsync([.. Gateway(silo, clusterId), "auth", "token", "create", "--role", "admin", "--name", "test-bootstrap", "--json"]);
        Assert.True(created.Exit == 0, $"twin auth token create over the gateway exited {created.Exit}: {created.Err}");
        using var json = System.Text.Json.JsonDocument.Parse(created.Out);
        return json.RootElement.GetProperty("token").GetString()!;
    }

    public static Task<(int Exit, string Out, string Err)> RunAsync(IEnumerable<string> args) => RunUntilAsync(args, CancellationToken.None);

    /// <summary>Runs the CLI until it exits, or until <paramref name="stop"/> fires (then it is killed).</summary>
    public static Task<(int Exit, string Out, string Err)> RunUntilAsync(IEnumerable<string> args, CancellationToken stop) => RunUntilAsync(args, null, stop);

    /// <summary>Runs the CLI with these environment variables set (null or empty: removed).</summary>
    public static Task<(int Exit, string Out, string Err)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment) =>
        RunUntilAsync(args, environment, CancellationToken.None);

    private static async Task<(int Exit, string Out, string Err)> RunUntilAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment, CancellationToken stop)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (string.IsNullOrEmpty(value))
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
