using System.Text.Json;
using TwinCluster.Integration.Tests.Cluster;
using Xunit;

namespace TwinCluster.Integration.Tests.Cli;

/// <summary>
/// <c>twin bench api</c> against a real silo, in short phases: one run prints reads over HTTP/1.1 and HTTP/2 beside
/// the Orleans client's, each ratio being the two rates it names; patches and the query over the fleet it imported.
/// The figures themselves are the benchmark's business; this checks that one run measures and reports all of them.
/// </summary>
public sealed class BenchApiCliTests
{
    [Fact]
    public async Task One_run_reports_reads_over_both_http_versions_against_the_orleans_client_patches_and_the_query()
    {
        var ct = TestContext.Current.CancellationToken;
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        // The per-principal limit would refuse a benchmark's reads; operators switch it off the same way to measure.
        await using var silo = SiloProcess.Start(null, clusterId, new Dictionary<string, string> { ["TwinCluster__Api__RequestsPerSecond"] = "0" });
        await silo.WaitReadyAsync(1, ct);

        var run = await CliProcess.RunAsync([.. CliProcess.Gateway(silo, clusterId), "--token", silo.AdminToken, "--json",
            "bench", "api", "--api", $"https://127.0.0.1:{silo.HttpsPort}", "--ca", CliProcess.CaPath,
            "--turbines", "20", "--seconds", "0.5", "--warmup", "0.2", "--queries", "5", "--callers", "4"]);

        Assert.True(run.Exit == 0, $"bench api exited {run.Exit}: {run.Err}\n{run.Out}");
        Assert.Contains("HTTPS (HTTP/1.1)", run.Out, StringComparison.Ordinal);
        Assert.Contains("HTTPS (HTTP/2)", run.Out, StringComparison.Ordinal);
        Assert.Contains("over 201 twins", run.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.Out[run.Out.LastIndexOf("\n{", StringComparison.Ordinal)..]);
        var root = json.RootElement;
        Assert.Equal(201, root.GetProperty("twins").GetInt32());
        var orleans = root.GetProperty("orleansReadsPerSecond").GetDouble();
        Assert.True(orleans > 0, run.Out);
        var reads = root.GetProperty("httpReads").EnumerateArray().ToList();
        Assert.Equal(["HTTP/1.1", "HTTP/2"], reads.Select(r => r.GetProperty("httpVersion").GetString()));
        foreach (var read in reads)
        {
            var perSecond = read.GetProperty("perSecond").GetDouble();
            Assert.True(perSecond > 0, run.Out);
            Assert.Equal(perSecond / orleans, read.GetProperty("ratio").GetDouble(), 9);
            Assert.True(read.GetProperty("clientCpuMsPerRead").GetDouble() > 0, run.Out);
        }

        Assert.True(root.GetProperty("patchesPerSecond").GetDouble() > 0, run.Out);
        Assert.True(root.GetProperty("queryP99Ms").GetDouble() >= root.GetProperty("queryP50Ms").GetDouble(), run.Out);

        var refused = await CliProcess.RunAsync([.. CliProcess.Gateway(silo, clusterId), "--token", silo.AdminToken, "bench", "api", "--protocol", "3"]);
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("--protocol", refused.Err + refused.Out, StringComparison.Ordinal);
    }
}
