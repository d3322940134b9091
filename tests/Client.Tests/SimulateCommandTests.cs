using TwinCluster.Cli;

namespace TwinCluster.Client.Tests;

/// <summary>
/// <c>twin simulate</c> in-process, for what needs no cluster: bad usage is refused with exit code 2 before
/// anything is contacted, and an unreachable cluster is exit code 1.
/// </summary>
public sealed class SimulateCommandTests
{
    [Theory]
    [InlineData("--broker", "nope", "--twins", "wt-01-mb")]
    [InlineData("--broker", "127.0.0.1:0", "--twins", "wt-01-mb")]
    [InlineData("--format", "xml", "--twins", "wt-01-mb")]
    [InlineData("--mqtt", "4", "--twins", "wt-01-mb")]
    [InlineData("--rate", "0", "--twins", "wt-01-mb")]
    [InlineData("--block", "0", "--twins", "wt-01-mb")]
    [InlineData("--fault", "wt-01-mb:cage", "--twins", "wt-01-mb")]
    [InlineData("--twins", "wt-01-mb", "--root", "wt-01")]
    [InlineData("--duration", "5")]
    public async Task Bad_usage_exits_2_before_contacting_anything(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, await TwinCli.RunAsync(["simulate", "--gateway", "127.0.0.1:1", "--timeout", "1", .. args]));
    }

    [Fact]
    public async Task An_unreachable_cluster_exits_1()
    {
        var port = EmbeddedBroker.FreePort();
        Assert.Equal(ExitCodes.Failed, await TwinCli.RunAsync(
            ["simulate", "--gateway", $"127.0.0.1:{port}", "--timeout", "1", "--twins", "wt-01-mb", "--duration", "1"]));
    }
}
