using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TwinCluster.Grains;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Telemetry;
using TwinCluster.Ingress.Storage;
using TwinCluster.Hosting;

namespace TwinCluster.Benchmarks;

/// <summary>
/// The ADT query language over 100,000 twins, at the grain level: a one-silo in-process cluster configured like the
/// embedded default, twins created through the import grain, then a model + property query returning a page of 100,
/// timed one call at a time. The existing IQueryGrain query with the same filter runs in the same process as the
/// reference. Run: <c>dotnet run -c Release --project tests/Benchmarks -- adt-query [twins] [queries]</c>.
/// Not a BenchmarkDotNet class: the figure wanted is the latency distribution of single calls (p50/p99).
/// </summary>
public static class AdtQueryBenchmark
{
    private const string Model = "dtmi:bench:Asset;1";
    private const string Subtype = "dtmi:bench:Pump;1";

    private static readonly ImmutableArray<string> Models =
    [
        """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:bench:Asset;1","@type":"Interface","contents":[
          {"@type":"Property","name":"name","schema":"string","writable":true},
          {"@type":"Property","name":"rating","schema":"double","writable":true}]},
         {"@context":"dtmi:dtdl:context;3","@id":"dtmi:bench:Pump;1","@type":"Interface","extends":"dtmi:bench:Asset;1","contents":[
          {"@type":"Property","name":"flow","schema":"double","writable":true}]}]
        """,
    ];

    public static async Task Run(string[] args)
    {
        var twins = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var queries = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddTwinMemoryStorage();
            silo.AddTwinTelemetryStreams();
            silo.Services.AddSingleton<ITelemetryLog>(new InMemoryTelemetryLog(maxPerTwin: 10, maxTotal: 1_000));
            silo.Services.AddSingleton<ITelemetryHistory, LogTelemetryHistory>();
            silo.Services.AddTwinGrains();
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var client = cluster.Client;
        var upload = await client.GetModelRepository().Upload(Models);
        if (!upload.Succeeded)
        {
            throw new InvalidOperationException("bench models did not upload");
        }

        var clock = Stopwatch.StartNew();
        const int batch = 5_000;
        for (var start = 0; start < twins; start += batch)
        {
            var items = Enumerable.Range(start, Math.Min(batch, twins - start)).Select(i => new TwinImportItem(
                i, $"asset-{i:D6}", i % 4 == 0 ? Subtype : Model,
                $$"""{"name":"asset {{i}}","rating":{{(i % 50) / 10.0:0.0}}}""",
                [], [], ImmutableDictionary<string, string>.Empty)).ToImmutableArray();
            var results = await client.GetImporter().ImportTwins(items);
            if (results.Any(r => r.Error is not null))
            {
                throw new InvalidOperationException("import failed: " + results.First(r => r.Error is not null).Error);
            }
        }

        Console.WriteLine($"imported {twins:N0} twins in {clock.Elapsed.TotalSeconds:F1} s");
        var thresholds = new[] { 3.0, 2.0, 4.0, 1.0, 3.5 };
        var adt = client.GetGrain<IDigitalTwinsQueryGrain>(0);
        var reference = client.GetQueries();
        string Text(int i) => $"SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T,'{Model}') AND T.rating > {thresholds[i % thresholds.Length]:0.0}";
        TwinQuery Reference(int i) => new(Model, true, [new PropertyFilter("rating", FilterOperator.Gt, $"{thresholds[i % thresholds.Length]:0.0}")], null, 100, null);

        var cold = Stopwatch.StartNew();
        var first = await adt.Run(Text(0), null, 100);
        Console.WriteLine($"first ADT query (cold: activates the page's twins): {cold.Elapsed.TotalMilliseconds:F1} ms, {first.Items.Length} rows, token {(first.ContinuationToken is null ? "none" : "issued")}");
        var check = await reference.Query(Reference(0));
        if (first.Items.Length != check.Items.Length || !first.Items[0].Contains($"\"$dtId\":\"{check.Items[0].TwinId}\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the ADT query and the reference disagree on the first page");
        }

        for (var i = 0; i < 50; i++)
        {
            await adt.Run(Text(i), null, 100);
            await reference.Query(Reference(i));
        }

        var adtTimes = new double[queries];
        var referenceTimes = new double[queries];
        var projectionTimes = new double[queries];
        for (var i = 0; i < queries; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var page = await adt.Run(Text(i), null, 100);
            adtTimes[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            var refPage = await reference.Query(Reference(i));
            referenceTimes[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            await adt.Run(Text(i).Replace("SELECT *", "SELECT T.$dtId, T.rating", StringComparison.Ordinal), null, 100);
            projectionTimes[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (page.Items.Length != 100 || refPage.Items.Length != 100)
            {
                throw new InvalidOperationException($"expected full pages, got {page.Items.Length} and {refPage.Items.Length}");
            }
        }

        Print("ADT SELECT * (model + rating, page of 100)", adtTimes);
        Print("ADT projection T.$dtId, T.rating (no twin reads)", projectionTimes);
        Print("reference IQueryGrain.Query (same filter, index entries)", referenceTimes);
        Console.WriteLine($"ratio ADT SELECT * / reference: p50 {Percentile(adtTimes, 0.50) / Percentile(referenceTimes, 0.50):F2}x, p99 {Percentile(adtTimes, 0.99) / Percentile(referenceTimes, 0.99):F2}x");
        Console.WriteLine($"target: ADT p99 < 50 ms over {twins:N0} twins: {(Percentile(adtTimes, 0.99) < 50 ? "met" : "NOT met")}");
        await cluster.StopAllSilosAsync();
    }

    private static void Print(string what, double[] times) =>
        Console.WriteLine($"{what}: n={times.Length} p50 {Percentile(times, 0.50):F2} ms, p99 {Percentile(times, 0.99):F2} ms, max {times.Max():F2} ms");

    private static double Percentile(double[] times, double p)
    {
        var sorted = times.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
