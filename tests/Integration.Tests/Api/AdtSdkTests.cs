using System.Diagnostics;
using Xunit;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>
/// The official Azure Digital Twins SDK for JavaScript (<c>@azure/digital-twins-core</c> 1.1.0, installed with npm into
/// a temp folder) against a real silo over HTTPS, trusting the silo's development CA through NODE_EXTRA_CA_CERTS:
/// models, a turbine with its parts and contains relationships, lists, JOIN and IS_OF_MODEL queries, a stale ETag
/// (412), a missing twin (404 DigitalTwinNotFound) and deletes (sdk/adt-sdk-walkthrough.mjs).
/// </summary>
public sealed class AdtSdkTests : IAsyncLifetime
{
    private const string SdkVersion = "1.1.0";
    private readonly ApiSilo _api = new();

    public ValueTask InitializeAsync() => _api.InitializeAsync();

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task The_javascript_sdk_drives_models_twins_relationships_queries_and_errors()
    {
        var sdk = Path.Combine(Path.GetTempPath(), $"twincluster-adt-sdk-{SdkVersion}");
        if (!File.Exists(Path.Combine(sdk, "node_modules", "@azure", "digital-twins-core", "package.json")))
        {
            Directory.CreateDirectory(sdk);
            var install = await Run("npm", sdk, null, "install", "--no-audit", "--no-fund", "--prefix", sdk, $"@azure/digital-twins-core@{SdkVersion}");
            Assert.SkipWhen(install.Exit != 0, $"npm could not install @azure/digital-twins-core@{SdkVersion} (exit {install.Exit}): {install.Output}");
        }

        var script = Path.Combine(AppContext.BaseDirectory, "Api", "sdk", "adt-sdk-walkthrough.mjs");
        var run = await Run("node", sdk, new Dictionary<string, string>
        {
            ["ADT_ENDPOINT"] = _api.Endpoint.ToString().TrimEnd('/'),
            ["ADT_TOKEN"] = _api.AdminToken,
            ["NODE_EXTRA_CA_CERTS"] = ApiSilo.CaPath,
            ["MODELS_DIR"] = ApiSilo.StarterModelsFolder,
            ["SDK_DIR"] = sdk,
        }, script);
        Assert.True(run.Exit == 0, $"the SDK walkthrough failed (exit {run.Exit}):\n{run.Output}\nsilo:\n{_api.Process.Output[^Math.Min(4000, _api.Process.Output.Length)..]}");
        Assert.Contains("\"step\":\"stale-etag\",\"statusCode\":412,\"code\":\"PreconditionFailed\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"step\":\"missing-twin\",\"statusCode\":404,\"code\":\"DigitalTwinNotFound\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"step\":\"done\"", run.Output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> Run(string file, string directory, IDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Skip($"{file} is not on this machine: {ex.Message}");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} did not finish within 3 minutes\n{await output}\n{await error}");
            }

            return (process.ExitCode, (await output) + (await error));
        }
    }
}
