using System.Text.Json;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;

namespace TwinCluster.Integration.Tests.Cli;

/// <summary>
/// How the CLI finds the silo and signs in over HTTP, against a real embedded-default silo whose token and development
/// CA live under a temporary home (never the real ~/.twincluster): no flags at all finds both there; no token is a
/// sign-in error with its exit code; a reader's write is refused with the server's message and changes nothing; no
/// silo at the address says where it looked and how to start one.
/// </summary>
public sealed class CliHttpTests(CliHttpSilo fixture) : IClassFixture<CliHttpSilo>
{
    private readonly string _home = fixture.Home;

    private SiloProcess Silo => fixture.Silo;

    private string Url => $"https://127.0.0.1:{Silo.HttpsPort}";

    /// <summary>The CLI's environment: HOME is the temporary one, and nothing else tells it where to go or who it is.</summary>
    private Dictionary<string, string?> Environment(string? url = null) => new()
    {
        ["HOME"] = _home,
        ["USERPROFILE"] = _home,
        ["TWIN_URL"] = url ?? Url,
        ["TWIN_TOKEN"] = null,
        ["TWIN_CACERT"] = null,
        ["TWINCLUSTER_SECURITY_DIR"] = null,
        ["TwinCluster__Security__Directory"] = null,
        ["TwinCluster__Api__DevelopmentCertificateFolder"] = null,
    };

    [Fact]
    public async Task With_no_flags_the_cli_finds_the_token_and_the_ca_the_embedded_default_wrote_under_home()
    {
        // The port is the test's own (8443 may be taken on a shared machine), so TWIN_URL names it; token and CA come from the files.
        var get = await CliProcess.RunAsync(["twins", "get", "wt-01", "--json"], Environment());

        Assert.True(get.Exit == 0, get.Err);
        using var twin = JsonDocument.Parse(get.Out);
        Assert.Equal("wt-01", twin.RootElement.GetProperty("id").GetString());
        Assert.Contains(twin.RootElement.GetProperty("incoming").EnumerateArray(), r => r.GetProperty("sourceId").GetString() == "farm-1");
    }

    [Fact]
    public async Task Without_a_token_the_cli_says_how_to_sign_in_and_exits_3()
    {
        var empty = Path.Combine(_home, "elsewhere");
        var environment = Environment();
        environment["TWINCLUSTER_SECURITY_DIR"] = empty;
        environment["TWIN_CACERT"] = Path.Combine(_home, ".twincluster", "https", "ca.pem");

        var result = await CliProcess.RunAsync(["twins", "get", "wt-01"], environment);

        Assert.Equal(3, result.Exit);
        Assert.Contains($"not signed in at {Url}", result.Err, StringComparison.Ordinal);
        Assert.Contains("Sign in:", result.Err, StringComparison.Ordinal); // the server's own words
        Assert.Contains(Path.Combine(empty, "token"), result.Err, StringComparison.Ordinal);
        Assert.Contains("--token or TWIN_TOKEN", result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task A_reader_token_is_refused_a_write_with_the_servers_message_exit_4_and_nothing_changes()
    {
        var created = await CliProcess.RunAsync(["auth", "token", "create", "--role", "reader", "--name", "viewer", "--json"], Environment());
        Assert.True(created.Exit == 0, created.Err);
        using var issued = JsonDocument.Parse(created.Out);
        var reader = issued.RootElement.GetProperty("token").GetString()!;
        var environment = Environment();
        environment["TWIN_TOKEN"] = reader;
        var before = await CliProcess.RunAsync(["twins", "get", "wt-01", "--json"], environment);
        Assert.True(before.Exit == 0, before.Err);

        var patch = await CliProcess.RunAsync(["twins", "patch", "wt-01", """[{"op":"replace","path":"/ratedPowerKW","value":1}]"""], environment);
        var delete = await CliProcess.RunAsync(["twins", "delete", "wt-01-blade-1", "--cascade"], environment);

        Assert.Equal(4, patch.Exit);
        Assert.Contains("forbidden: token:viewer (reader) may not write twin 'wt-01'", patch.Err, StringComparison.Ordinal);
        Assert.Equal(4, delete.Exit);
        Assert.Contains("may not write twin 'wt-01-blade-1'", delete.Err, StringComparison.Ordinal);
        var after = await CliProcess.RunAsync(["twins", "get", "wt-01", "--json"], environment);
        Assert.Equal(Properties(before.Out), Properties(after.Out));
        Assert.Equal(0, (await CliProcess.RunAsync(["twins", "get", "wt-01-blade-1"], environment)).Exit);
    }

    [Fact]
    public async Task No_silo_at_the_address_names_it_and_says_how_to_start_one()
    {
        var url = $"https://127.0.0.1:{FreeTcpPort.Next()}";

        var result = await CliProcess.RunAsync(["models", "list"], Environment(url));

        Assert.Equal(1, result.Exit);
        Assert.Contains($"no TwinCluster silo answers at {url}", result.Err, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Silo", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_that_works_over_http_refuses_the_gateway_and_says_which_commands_use_it()
    {
        var result = await CliProcess.RunAsync(["--gateway", $"127.0.0.1:{Silo.GatewayPort}", "twins", "get", "wt-01"], Environment());

        Assert.Equal(2, result.Exit);
        Assert.Contains("works through the HTTP API", result.Err, StringComparison.Ordinal);
        Assert.Contains("bench, simulate", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scoped_token_sees_and_changes_only_its_subtree_through_the_cli_endpoints()
    {
        var created = await CliProcess.RunAsync(["auth", "token", "create", "--role", "operator", "--scope", "wt-01", "--name", "wt01-op", "--json"], Environment());
        Assert.True(created.Exit == 0, created.Err);
        using var issued = JsonDocument.Parse(created.Out);
        var environment = Environment();
        environment["TWIN_TOKEN"] = issued.RootElement.GetProperty("token").GetString();

        var query = await CliProcess.RunAsync(["twins", "query", "--all", "--json"], environment);
        var tree = await CliProcess.RunAsync(["twins", "tree", "wt-01", "--json"], environment);
        var farm = await CliProcess.RunAsync(["twins", "tree", "farm-1"], environment);
        var own = await CliProcess.RunAsync(["twins", "get", "wt-01", "--json"], environment);
        var other = await CliProcess.RunAsync(["twins", "patch", "wt-02", """[{"op":"replace","path":"/ratedPowerKW","value":1}]"""], environment);
        var mine = await CliProcess.RunAsync(["twins", "patch", "wt-01", """[{"op":"replace","path":"/ratedPowerKW","value":3300}]""", "--json"], environment);
        var changes = await CliProcess.RunAsync(["history", "wt-02", "--changes", "--from", "-1h"], environment);

        Assert.True(query.Exit == 0, query.Err);
        var ids = JsonDocument.Parse(query.Out).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        var subtree = JsonDocument.Parse(tree.Out).RootElement.EnumerateArray().Select(e => e.GetProperty("twinId").GetString()!).ToList();
        Assert.Equal(subtree.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Contains("wt-01-gen-de", ids);
        Assert.DoesNotContain("farm-1", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("wt-02", StringComparison.Ordinal));
        Assert.Equal(4, farm.Exit);
        Assert.Contains("may not read twin 'farm-1'", farm.Err, StringComparison.Ordinal);
        // farm-1 holds wt-01 but is outside the scope: the incoming relationship from it is not shown.
        Assert.Empty(JsonDocument.Parse(own.Out).RootElement.GetProperty("incoming").EnumerateArray());
        Assert.Equal(4, other.Exit);
        Assert.True(mine.Exit == 0, mine.Err);
        Assert.Equal(3300, JsonDocument.Parse(mine.Out).RootElement.GetProperty("properties").GetProperty("ratedPowerKW").GetDouble());
        Assert.Equal(4, changes.Exit);
        var audit = await CliProcess.RunAsync(["audit", "--by", "token:wt01-op", "--json"], Environment());
        var operations = JsonDocument.Parse(audit.Out).RootElement.EnumerateArray().Select(e => (e.GetProperty("operation").GetString(), e.GetProperty("target").GetString(), e.GetProperty("outcome").GetString())).ToList();
        Assert.Contains(("twin.patch", "wt-01", "ok"), operations);
        Assert.Contains(("twin.patch", "wt-02", "denied"), operations);
    }

    private static string Properties(string twinJson)
    {
        using var document = JsonDocument.Parse(twinJson);
        return document.RootElement.GetProperty("properties").GetRawText();
    }
}

/// <summary>One embedded-default silo for the class, its state under a temporary HOME, with the example farm loaded.</summary>
public sealed class CliHttpSilo : IAsyncLifetime
{
    private SiloProcess? _silo;

    public string Home { get; } = Path.Combine(Path.GetTempPath(), "twin-cli-home-" + Guid.NewGuid().ToString("N")[..12]);

    internal SiloProcess Silo => _silo!;

    public async ValueTask InitializeAsync()
    {
        // The embedded default's layout under HOME: ~/.twincluster/token and ~/.twincluster/https/ca.pem.
        var state = Path.Combine(Home, ".twincluster");
        _silo = SiloProcess.Start(null, "clihttp", new Dictionary<string, string>
        {
            ["TwinCluster__Security__Directory"] = state,
            ["TwinCluster__Api__DevelopmentCertificateFolder"] = Path.Combine(state, "https"),
        });
        await _silo.WaitReadyAsync(1, TestContext.Current.CancellationToken);
        string[] admin = CliProcess.Http(_silo, null, Path.Combine(state, "https", "ca.pem"));
        var upload = await CliProcess.RunAsync([.. admin, "models", "upload", "models/dtmi"]);
        Assert.True(upload.Exit == 0, upload.Err);
        var import = await CliProcess.RunAsync([.. admin, "twins", "import", "models/examples/small-farm.ndjson"]);
        Assert.True(import.Exit == 0, import.Out + import.Err);
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
