using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryTestKit;

namespace TwinCluster.Integration.Tests.Scaling;

/// <summary>
/// Every query of deploy/grafana/twincluster-dashboard.json names a metric a real silo process exports on /metrics:
/// a silo in PostgreSQL mode (so the database metrics exist) with its built-in broker and ingress, the example farm, <c>twin simulate</c> growing a defect
/// until an alert is raised, and one malformed message for a dead letter, so that the event-driven counters exist.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class GrafanaDashboardTests(PostgresFixture postgres)
{
    private const string Faulty = "wt-01-gen-de";

    [Fact]
    public async Task Every_dashboard_query_names_a_metric_the_silo_exports()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var wanted = DashboardMetrics(Path.Combine(CliProcess.RepoRoot, "deploy", "grafana", "twincluster-dashboard.json"));
        Assert.True(wanted.Count >= 10, "the dashboard names " + string.Join(", ", wanted));

        var db = await postgres.CreateMigratedDatabaseAsync(ct);
        await using var silo = SiloProcess.Start(db, "grafana", new Dictionary<string, string> { ["TwinCluster__Mqtt__Enabled"] = "true" });
        await silo.WaitReadyAsync(1, ct);
        await using (var connection = await ConnectAsync(silo.GatewayPort, "grafana", db))
        {
            await LoadSmallFarmAsync(connection.Client, ct);
        }

        using var publisher = await ConnectPublisherAsync(silo.MqttPort);
        Assert.True(await PublishAsync(publisher, $"twins/{Faulty}/telemetry", Encoding.UTF8.GetBytes("not json")));

        using var stop = new CancellationTokenSource();
        var simulate = CliProcess.RunUntilAsync(["-g", $"127.0.0.1:{silo.GatewayPort}", "--cluster-id", "grafana",
            "simulate", "--broker", $"127.0.0.1:{silo.MqttPort}", "--twins", Faulty,
            "--fs", "12800", "--rate", "12.5", "--fault", $"{Faulty}:outer", "--fault-duration", "30"], stop.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        HashSet<string> exported = [];
        try
        {
            while (true)
            {
                var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{silo.HttpPort}/metrics"), ct);
                exported = ExportedNames(text);
                if (wanted.All(exported.Contains) || DateTime.UtcNow > deadline || simulate.IsCompleted)
                {
                    break;
                }

                await Task.Delay(1000, ct);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await simulate;
        }

        var missing = wanted.Where(m => !exported.Contains(m)).ToList();
        output?.WriteLine($"dashboard names {wanted.Count} metrics; the silo exports {exported.Count}; missing: {(missing.Count == 0 ? "none" : string.Join(", ", missing))}");
        Assert.True(missing.Count == 0, "not exported by the silo: " + string.Join(", ", missing)
            + "\nexported: " + string.Join(" ", exported.Where(e => !e.StartsWith("orleans_", StringComparison.Ordinal) && !e.StartsWith("dotnet_", StringComparison.Ordinal))));
    }

    /// <summary>The metric names the dashboard's queries select (a name followed by a label selector or range).</summary>
    internal static SortedSet<string> DashboardMetrics(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var queries = 0;
        foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expr = target.GetProperty("expr").GetString()!;
                queries++;
                var found = SelectorName().Matches(expr).Select(m => m.Groups[1].Value).ToList();
                Assert.True(found.Count > 0, $"panel '{panel.GetProperty("title").GetString()}': no metric selector in {expr}");
                names.UnionWith(found);
            }
        }

        Assert.True(queries > 0);
        return names;
    }

    /// <summary>The sample names in a Prometheus text exposition.</summary>
    internal static HashSet<string> ExportedNames(string exposition) =>
        exposition.Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")]
    private static partial Regex SelectorName();
}
