using System.Text.Json;
using TwinCluster.Integration.Tests.Cluster;
using Xunit;

namespace TwinCluster.Integration.Tests.Cli;

/// <summary>The <c>twin</c> CLI as a user runs it, over the HTTP API of a real embedded-default silo process.</summary>
public sealed class CliProcessTests : IAsyncLifetime
{
    private SiloProcess? _silo;

    public async ValueTask InitializeAsync()
    {
        _silo = SiloProcess.Start(null, "cli", new Dictionary<string, string>());
        await _silo.WaitReadyAsync(1, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    private Task<(int Exit, string Out, string Err)> Twin(params string[] args) =>
        CliProcess.RunAsync([.. CliProcess.Http(_silo!), .. args]);

    [Fact]
    public async Task Walkthrough_commands_succeed_and_refusals_and_bad_usage_have_their_exit_codes()
    {
        var upload = await Twin("models", "upload", "models/dtmi");
        Assert.True(upload.Exit == 0, upload.Err);
        var import = await Twin("twins", "import", "models/examples/small-farm.ndjson");
        Assert.True(import.Exit == 0, import.Out + import.Err);
        Assert.Contains("21 twins, 20 relationships imported", import.Out, StringComparison.Ordinal);

        var tree = await Twin("twins", "tree", "farm-1", "--json");
        Assert.Equal(0, tree.Exit);
        Assert.Equal(21, JsonDocument.Parse(tree.Out).RootElement.GetArrayLength());

        var get = await Twin("twins", "get", "wt-01", "--json");
        var etag = JsonDocument.Parse(get.Out).RootElement.GetProperty("etag").GetString()!;
        Assert.Equal(0, (await Twin("twins", "patch", "wt-01", """[{"op":"replace","path":"/ratedPowerKW","value":3600}]""", "--if-match", etag)).Exit);
        var stale = await Twin("twins", "patch", "wt-01", """[{"op":"replace","path":"/ratedPowerKW","value":1}]""", "--if-match", etag);
        Assert.Equal(1, stale.Exit);
        Assert.Contains("PreconditionFailed", stale.Err, StringComparison.Ordinal);

        var query = await Twin("twins", "query", "--where", "ratedPowerKW>=3600", "--json");
        Assert.Equal(["wt-01"], JsonDocument.Parse(query.Out).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()));

        var missing = await Twin("twins", "get", "no-such-twin");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("no-such-twin", missing.Err, StringComparison.Ordinal);
        Assert.Equal(2, (await Twin("twins", "get")).Exit);
        Assert.Equal(2, (await Twin("twins", "query", "--where", "no operator")).Exit);
        Assert.Equal(2, (await Twin("twins", "get", "bad/id")).Exit);
    }

    [Fact]
    public async Task An_import_with_bad_lines_reports_them_by_number_and_exits_1()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, ["""{"kind":"twin","id":"x1","model":"dtmi:nothing:Here;1"}""", "not json"], TestContext.Current.CancellationToken);
        try
        {
            var result = await Twin("twins", "import", file);

            Assert.Equal(1, result.Exit);
            Assert.Contains("line 1:", result.Out, StringComparison.Ordinal);
            Assert.Contains("line 2: not valid JSON", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
