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

    public static Task<(int Exit, string Out, string Err)> RunAsync(IEnumerable<string> args) => RunUntilAsync(args, CancellationToken.None);

    /// <summary>Runs the CLI until it exits, or until <paramref name="stop"/> fires (then it is killed).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunUntilAsync(IEnumerable<string> args, CancellationToken stop)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
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
