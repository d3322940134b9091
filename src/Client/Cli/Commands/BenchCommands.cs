using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using TwinCluster.Simulation.Import;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Cli.Commands;

/// <summary>
/// <c>twin bench twins</c>: end-to-end figures against a running cluster. Imports a generated fleet, measures point
/// reads and subtree queries, and, as a reference in the same run, one-at-a-time creates through the plain API.
/// </summary>
public static class BenchCommands
{
    private const string FarmModel = "dtmi:twincluster:bench:Farm;1";
    private const string TurbineModel = "dtmi:twincluster:bench:Turbine;1";
    private const string ComponentModel = "dtmi:twincluster:bench:Component;1";

    private static readonly string[] Models =
    [
        """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:twincluster:bench:Farm;1","@type":"Interface","contents":[{"@type":"Property","name":"name","schema":"string"},{"@type":"Relationship","name":"contains"}]}""",
        """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:twincluster:bench:Turbine;1","@type":"Interface","contents":[{"@type":"Property","name":"name","schema":"string"},{"@type":"Property","name":"ratedPowerKW","schema":"double"},{"@type":"Relationship","name":"contains"}]}""",
        """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:twincluster:bench:Component;1","@type":"Interface","contents":[{"@type":"Property","name":"kind","schema":"string"},{"@type":"Property","name":"serial","schema":"string"}]}""",
    ];

    public static Command Build()
    {
        var bench = new Command("bench", "Benchmarks against a running cluster; they print their figures. They use the Orleans gateway (--gateway), not the HTTP API: they load and measure the cluster itself (bench api also calls the HTTPS API, with --token).");
        var turbines = new Option<int>("--turbines") { Description = "Turbines in the generated fleet (10 twins each: turbine + 9 components; 1 farm per 100).", DefaultValueFactory = _ => 10_000 };
        var reads = new Option<int>("--reads") { Description = "Point reads to time.", DefaultValueFactory = _ => 20_000 };
        var subtrees = new Option<int>("--subtrees") { Description = "Turbine subtree queries to time.", DefaultValueFactory = _ => 2_000 };
        var reference = new Option<int>("--reference-creates") { Description = "One-at-a-time creates measured as the reference.", DefaultValueFactory = _ => 5_000 };
        var warmup = new Option<int>("--warmup-turbines") { Description = "Turbines imported first, unmeasured, so the measured import runs on JIT-compiled code (0: none).", DefaultValueFactory = _ => 1_000 };
        var twins = new Command("twins", "Bulk import, point reads and subtree queries, with one-at-a-time creates as the in-run reference.") { turbines, reads, subtrees, reference, warmup };
        twins.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            if (ctx.Value(turbines) < 1)
            {
                throw new UsageException("--turbines must be at least 1");
            }

            await using var connection = await ctx.ConnectAsync(ct);
            var grains = connection.Client;
            if (await grains.GetModelRepository().Get(FarmModel) is null)
            {
                var upload = await grains.GetModelRepository().Upload([.. Models]);
                if (!upload.Succeeded)
                {
                    throw new TwinOperationException(TwinErrorCode.Invalid, "bench models did not upload: " + upload.Errors[0].Message);
                }
            }

            if (ctx.Value(warmup) > 0)
            {
                var (warmText, _, warmTwins) = Fleet(Guid.NewGuid().ToString("N")[..6], ctx.Value(warmup));
                var warm = await new NdjsonImporter(grains).ImportAsync(new StringReader(warmText), null, ct);
                Console.WriteLine($"warm-up import (not the measurement; includes JIT on a fresh silo): {warmTwins:N0} twins in {warm.Elapsed.TotalSeconds:0.00} s = {warm.TwinsPerSecond:N0} twins/s");
            }

            var run = Guid.NewGuid().ToString("N")[..6];
            var (ndjson, turbineIds, twinCount) = Fleet(run, ctx.Value(turbines));
            Console.WriteLine($"run {run}: importing {twinCount:N0} twins and {twinCount - ((ctx.Value(turbines) + 99) / 100):N0} relationships ...");
            var summary = await new NdjsonImporter(grains).ImportAsync(new StringReader(ndjson), null, ct);
            if (!summary.Succeeded)
            {
                Console.Error.WriteLine($"import refused {summary.Errors.Length} lines; first: line {summary.Errors[0].Line}: {summary.Errors[0].Message}");
                return ExitCodes.Failed;
            }

            var importRate = summary.TwinsCreated / summary.Elapsed.TotalSeconds;
            Console.WriteLine($"bulk import: {summary.TwinsCreated:N0} twins + {summary.RelationshipsCreated:N0} relationships in {summary.Elapsed.TotalSeconds:0.00} s = {importRate:N0} twins/s");

            var refRate = await ReferenceCreates(grains, run, ctx.Value(reference));
            Console.WriteLine($"reference, one-at-a-time creates (64 in flight): {refRate:N0} twins/s; bulk import is {importRate / refRate:0.0}x that");

            var random = new Random(42);
            var readLatency = await Time(ctx.Value(reads), () => grains.GetTwin(new TwinId(turbineIds[random.Next(turbineIds.Count)])).Get());
            Console.WriteLine($"point reads ({ctx.Value(reads):N0}, one at a time): {Describe(readLatency)}");
            var subtreeLatency = await Time(ctx.Value(subtrees), async () =>
            {
                var subtree = await grains.GetQueries().Subtree(turbineIds[random.Next(turbineIds.Count)]);
                if (subtree.Length != 10)
                {
                    throw new InvalidOperationException($"a turbine subtree has {subtree.Length} twins, expected 10");
                }
            });
            Console.WriteLine($"turbine subtree queries ({ctx.Value(subtrees):N0}, 10 twins each): {Describe(subtreeLatency)}");
            if (ctx.Json)
            {
                CliContext.WriteJson(new
                {
                    twins = summary.TwinsCreated,
                    relationships = summary.RelationshipsCreated,
                    importSeconds = summary.Elapsed.TotalSeconds,
                    importTwinsPerSecond = importRate,
                    referenceCreatesPerSecond = refRate,
                    readP50Ms = Percentile(readLatency, 0.50),
                    readP99Ms = Percentile(readLatency, 0.99),
                    subtreeP50Ms = Percentile(subtreeLatency, 0.50),
                    subtreeP99Ms = Percentile(subtreeLatency, 0.99),
                });
            }

            return ExitCodes.Ok;
        }));
        bench.Subcommands.Add(twins);
        bench.Subcommands.Add(Ingest());
        bench.Subcommands.Add(Condition());
        bench.Subcommands.Add(Api());
        bench.Subcommands.Add(HistoryBenchCommand.Build());
        return bench;
    }

    /// <summary>The <paramref name="i"/>-th call's index in a list of <paramref name="count"/>, spread by a prime stride; in
    /// 64-bit arithmetic, since a fast phase makes more than int.MaxValue / stride calls.</summary>
    private static int Pick(int i, int stride, int count) => (int)((long)i * stride % count);

    /// <summary>
    /// <c>twin bench api</c>: in one run against one silo, point reads over HTTPS (HTTP/1.1 and HTTP/2) and through the
    /// Orleans client (the reference), JSON-Patch writes on one twin over HTTPS, and a model + property query over the fleet.
    /// </summary>
    private static Command Api()
    {
        var api = new Option<string>("--api") { Description = "The silo's HTTPS API.", DefaultValueFactory = _ => "https://127.0.0.1:8443" };
        var ca = new Option<string?>("--ca") { Description = "PEM of the CA to trust (default: ~/.twincluster/https/ca.pem when it exists)." };
        var turbines = new Option<int>("--turbines") { Description = "Turbines in the generated fleet (10 twins each, 1 farm per 100).", DefaultValueFactory = _ => 10_000 };
        var seconds = new Option<double>("--seconds") { Description = "Length of each timed phase.", DefaultValueFactory = _ => 10 };
        var callers = new Option<int>("--callers") { Description = "Calls in flight in the read phases.", DefaultValueFactory = _ => 64 };
        var queries = new Option<int>("--queries") { Description = "Queries timed one at a time.", DefaultValueFactory = _ => 500 };
        var protocol = new Option<string>("--protocol")
        {
            Description = "HTTP versions of the read phases: 1.1 (a connection per call in flight), 2 (calls multiplexed on few connections) or both.",
            DefaultValueFactory = _ => "both",
        };
        protocol.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is var value && value is not ("1.1" or "2" or "both"))
            {
                result.AddError($"--protocol must be 1.1, 2 or both, not '{value}'.");
            }
        });
        var warmup = new Option<double>("--warmup") { Description = "Seconds of unmeasured reads on each path before its timed phase (JIT tiering, connections, activations).", DefaultValueFactory = _ => 5 };
        var command = new Command("api", "HTTP API figures: reads over HTTPS vs the Orleans client, patches on one twin, query latency over the fleet.")
            { api, ca, turbines, seconds, callers, queries, protocol, warmup };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var caPath = ctx.Value(ca) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".twincluster", "https", "ca.pem");
            // The global --token (then TWIN_TOKEN, then the embedded default's token file); none against a silo run
            // with TwinCluster:Api:Authentication=Off.
            var signIn = ctx.ApiSettings().Token;
            var endpoint = new Uri(ctx.Value(api));
            var trust = File.Exists(caPath) ? caPath : null;
            var token = signIn is { Length: > 0 } ? signIn : null;
            // Patches and queries go over HTTP/1.1, as the Azure SDKs send them; reads over each version asked for.
            using var http = Client.Bench.ApiBench.CreateClient(endpoint, trust, token);
            using var http2 = Client.Bench.ApiBench.CreateClient(endpoint, trust, token, http2: true);
            var versions = ctx.Value(protocol) switch
            {
                "1.1" => new[] { ("HTTP/1.1", http) },
                "2" => [("HTTP/2", http2)],
                _ => [("HTTP/1.1", http), ("HTTP/2", http2)],
            };
            await using var connection = await ctx.ConnectAsync(ct);
            var grains = connection.Client;
            if (await grains.GetModelRepository().Get(FarmModel) is null)
            {
                var upload = await grains.GetModelRepository().Upload([.. Models]);
                if (!upload.Succeeded)
                {
                    throw new TwinOperationException(TwinErrorCode.Invalid, "bench models did not upload: " + upload.Errors[0].Message);
                }
            }

            var run = Guid.NewGuid().ToString("N")[..6];
            var (ndjson, turbineIds, twinCount) = Fleet(run, ctx.Value(turbines));
            var summary = await new NdjsonImporter(grains).ImportAsync(new StringReader(ndjson), null, ct);
            if (!summary.Succeeded)
            {
                Console.Error.WriteLine($"import refused {summary.Errors.Length} lines; first: line {summary.Errors[0].Line}: {summary.Errors[0].Message}");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"run {run}: {twinCount:N0} twins imported in {summary.Elapsed.TotalSeconds:0.0} s");
            var duration = TimeSpan.FromSeconds(ctx.Value(seconds));
            const string V = "api-version=2023-10-31";
            // The addresses are made once: the bench shares the machine with the silo, and what it spends per read is CPU
            // the silo does not get.
            var readUris = turbineIds.Select(t => new Uri(endpoint, $"/digitaltwins/{Uri.EscapeDataString(t)}?{V}")).ToArray();
            Func<int, Task> HttpRead(HttpClient client) => async i =>
            {
                using var response = await client.GetAsync(readUris[Pick(i, 7919, readUris.Length)], ct);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync(ct);
            };

            Task OrleansRead(int i) => grains.GetTwin(new TwinId(turbineIds[Pick(i, 7919, turbineIds.Count)])).Get();

            // Each path is warmed up right before its timed phase (JIT tiering, connections, activations), not measured:
            // the figures are of the steady state.
            var warm = TimeSpan.FromSeconds(Math.Max(0, ctx.Value(warmup)));
            var reads = new List<(string Version, double PerSecond, double ClientCpu, double Steal)>();
            foreach (var (version, client) in versions)
            {
                await Client.Bench.ApiBench.RateAsync(ctx.Value(callers), warm, HttpRead(client), ct);
                var (perSecond, cpu, stolen) = await Client.Bench.ApiBench.MeasureAsync(ctx.Value(callers), duration, HttpRead(client), ct);
                reads.Add((version, perSecond, cpu, stolen));
            }

            await Client.Bench.ApiBench.RateAsync(ctx.Value(callers), warm, OrleansRead, ct);
            var (orleansReads, orleansCpu, orleansSteal) = await Client.Bench.ApiBench.MeasureAsync(ctx.Value(callers), duration, OrleansRead, ct);
            var over = string.Join(", ", reads.Select(r => string.Create(CultureInfo.InvariantCulture, $"HTTPS ({r.Version}) {r.PerSecond:N0}/s = {r.PerSecond / orleansReads:0.00}x")));
            Console.WriteLine($"point reads, {ctx.Value(callers)} in flight: {over} the Orleans client's {orleansReads:N0}/s (reference)");
            // The bench shares the machine with the silo: what it spends per read is CPU the silo did not get.
            Console.WriteLine($"bench client CPU per read: {string.Join(", ", reads.Select(r => string.Create(CultureInfo.InvariantCulture, $"HTTPS ({r.Version}) {r.ClientCpu:0.000} ms")))}, Orleans client {orleansCpu:0.000} ms");
            if (!double.IsNaN(orleansSteal) && reads.All(r => !double.IsNaN(r.Steal)))
            {
                // On a shared host the hypervisor's steal moves the figures by tens of percent between runs.
                Console.WriteLine($"CPU stolen by the hypervisor during the read phases: {string.Join(", ", reads.Select(r => $"HTTPS ({r.Version}) {r.Steal:P0}"))}, Orleans client {orleansSteal:P0}");
            }

            var one = turbineIds[0];
            var patches = await Client.Bench.ApiBench.RateAsync(16, duration, async i =>
            {
                using var content = new StringContent($$$"""[{"op":"replace","path":"/ratedPowerKW","value":{{{3000 + i}}}}]""", Encoding.UTF8, "application/json-patch+json");
                using var response = await http.PatchAsync($"/digitaltwins/{one}?{V}", content, ct);
                response.EnsureSuccessStatusCode();
            }, ct);
            Console.WriteLine($"JSON-Patch writes on one twin ({one}), 16 in flight over HTTPS: {patches:N0}/s (Azure Digital Twins allows 10/s per twin)");

            var latencies = await Client.Bench.ApiBench.LatenciesAsync(ctx.Value(queries), async i =>
            {
                var turbine = turbineIds[Pick(i, 104729, turbineIds.Count)];
                var query = $$$"""{"query":"SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{{{TurbineModel}}}') AND T.name = '{{{turbine}}}'"}""";
                using var content = new StringContent(query, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync($"/query?{V}", content, ct);
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!body.Contains(turbine, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the query for {turbine} did not return it: {body}");
                }
            });
            var p50 = Client.Bench.ApiBench.Quantile(latencies, 0.50);
            var p99 = Client.Bench.ApiBench.Quantile(latencies, 0.99);
            Console.WriteLine($"model + property query over {twinCount:N0} twins ({ctx.Value(queries)} one at a time, over HTTPS): p50 {p50:0.0} ms, p99 {p99:0.0} ms");
            if (ctx.Json)
            {
                CliContext.WriteJson(new
                {
                    twins = twinCount,
                    httpReads = reads.Select(r => new
                    {
                        httpVersion = r.Version, perSecond = r.PerSecond, ratio = r.PerSecond / orleansReads, clientCpuMsPerRead = r.ClientCpu,
                        stealShare = double.IsNaN(r.Steal) ? (double?)null : r.Steal,
                    }),
                    orleansReadsPerSecond = orleansReads, clientCpuMsPerOrleansRead = orleansCpu,
                    stealShareOrleans = double.IsNaN(orleansSteal) ? (double?)null : orleansSteal,
                    patchesPerSecond = patches, queryP50Ms = p50, queryP99Ms = p99,
                });
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static (string Ndjson, List<string> Turbines, int Twins) Fleet(string run, int turbines)
    {
        var text = new StringBuilder();
        var turbineIds = new List<string>(turbines);
        var twins = 0;
        string[] kinds = ["main-bearing", "gearbox", "gearbox-bearing", "generator", "generator-bearing", "blade-a", "blade-b", "blade-c", "tower"];
        for (var t = 0; t < turbines; t++)
        {
            var farm = $"b{run}-farm{t / 100:D4}";
            if (t % 100 == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $$$"""{"kind":"twin","id":"{{{farm}}}","model":"{{{FarmModel}}}","properties":{"name":"{{{farm}}}"}}""").Append('\n');
                twins++;
            }

            var turbine = $"{farm}-wt{t % 100:D2}";
            turbineIds.Add(turbine);
            text.Append(CultureInfo.InvariantCulture, $$$"""{"kind":"twin","id":"{{{turbine}}}","model":"{{{TurbineModel}}}","properties":{"name":"{{{turbine}}}","ratedPowerKW":{{{3000 + (t % 7 * 100)}}}}}""").Append('\n');
            text.Append(CultureInfo.InvariantCulture, $$$"""{"kind":"relationship","source":"{{{farm}}}","name":"contains","target":"{{{turbine}}}"}""").Append('\n');
            twins++;
            foreach (var kind in kinds)
            {
                var component = $"{turbine}-{kind}";
                text.Append(CultureInfo.InvariantCulture, $$$"""{"kind":"twin","id":"{{{component}}}","model":"{{{ComponentModel}}}","properties":{"kind":"{{{kind}}}","serial":"SN{{{t:D6}}}"}}""").Append('\n');
                text.Append(CultureInfo.InvariantCulture, $$$"""{"kind":"relationship","source":"{{{turbine}}}","name":"contains","target":"{{{component}}}"}""").Append('\n');
                twins++;
            }
        }

        return (text.ToString(), turbineIds, twins);
    }

    private static async Task<double> ReferenceCreates(IGrainFactory grains, string run, int count)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
            await grains.GetTwin(new TwinId($"b{run}-ref{i:D6}")).Create(ComponentModel, """{"kind":"reference"}"""));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double[]> Time(int count, Func<Task> operation)
    {
        for (var i = 0; i < Math.Min(200, count); i++)
        {
            await operation();
        }

        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string Describe(double[] sorted) =>
        string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(sorted, 0.5):0.000} ms, p99 {Percentile(sorted, 0.99):0.000} ms, max {sorted[^1]:0.000} ms");

    private static Command Ingest()
    {
        var broker = new Option<string>("--broker") { Description = "MQTT broker host:port.", DefaultValueFactory = _ => "127.0.0.1:1883" };
        var twinCount = new Option<int>("--twins") { Description = "Twins receiving telemetry.", DefaultValueFactory = _ => 100 };
        var rate = new Option<double>("--rate") { Description = "Sustained target, messages/s over all twins.", DefaultValueFactory = _ => 10_000 };
        var duration = new Option<int>("--duration") { Description = "Seconds of the sustained phase.", DefaultValueFactory = _ => 60 };
        var shortPhase = new Option<int>("--phase") { Description = "Seconds of the raw-broker, unpaced and half-rate phases.", DefaultValueFactory = _ => 15 };
        var block = new Option<int>("--block") { Description = "Samples per message.", DefaultValueFactory = _ => 1024 };
        var publishers = new Option<int>("--publishers") { Description = "Publisher connections.", DefaultValueFactory = _ => 8 };
        var inFlight = new Option<int>("--in-flight") { Description = "Unacknowledged publishes per connection.", DefaultValueFactory = _ => 64 };
        var skipRaw = new Option<bool>("--skip-raw") { Description = "Skip the raw-broker phase (as --sign-in does), so a run without sign-in has the same phases as one with it." };
        var signInDevices = new Option<bool>("--sign-in") { Description = "Publish as signed-in devices (one credential per publisher, made through the gateway), for a broker that requires authentication; skips the raw-broker phase." };
        var command = new Command("ingest",
            "Publishers → broker → ingress → stream → twins: raw broker rate (the ceiling), unpaced end-to-end rate, a sustained " +
            "paced phase and a half-rate latency phase; loss, duplicates and publish→applied latency from the twins' own counts.")
        {
            broker, twinCount, rate, duration, shortPhase, block, publishers, inFlight, signInDevices, skipRaw,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var (host, port) = ParseEndpoint(ctx.Value(broker));
            if (ctx.Value(twinCount) < 1 || ctx.Value(publishers) < 1 || ctx.Value(inFlight) < 1 || ctx.Value(rate) <= 0
                || ctx.Value(duration) < 1 || ctx.Value(shortPhase) < 1 || ctx.Value(block) < 1)
            {
                throw new UsageException("--twins, --publishers, --in-flight, --rate, --duration, --phase and --block must be positive");
            }

            await using var connection = await ctx.ConnectAsync(ct);
            var options = new Client.Bench.IngestBenchOptions
            {
                Host = host,
                Port = port,
                Twins = ctx.Value(twinCount),
                Publishers = ctx.Value(publishers),
                InFlight = ctx.Value(inFlight),
                Block = ctx.Value(block),
                Rate = ctx.Value(rate),
                Duration = TimeSpan.FromSeconds(ctx.Value(duration)),
                ShortPhase = TimeSpan.FromSeconds(ctx.Value(shortPhase)),
                SignIn = ctx.Value(signInDevices),
                SkipRaw = ctx.Value(skipRaw),
            };
            var bench = new Client.Bench.IngestBench(connection.Client, options, Console.WriteLine);
            await bench.SetUpAsync(ct);
            await bench.RunPhaseAsync("warm-up (not counted)", options.Rate / 4, TimeSpan.FromSeconds(5), ct);
            var raw = await bench.RawBrokerRateAsync(options.ShortPhase, ct);
            var unpaced = await bench.RunPhaseAsync("unpaced end-to-end", null, options.ShortPhase, ct);
            var sustained = await bench.RunPhaseAsync($"sustained at {options.Rate:N0} msg/s for {options.Duration.TotalSeconds:0} s", options.Rate, options.Duration, ct);
            var half = await bench.RunPhaseAsync($"half rate ({options.Rate / 2:N0} msg/s) for latency", options.Rate / 2, options.ShortPhase, ct);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                | figure | target | measured |
                |---|---|---|
                | raw broker rate, subscriber that does nothing (ceiling) | — | {raw:N0} msg/s |
                | unpaced end-to-end rate (applied in twins) | ≥ half the raw rate ({raw / 2:N0}) | {unpaced.AppliedRate:N0} msg/s = {unpaced.AppliedRate / raw:0.00} × raw |
                | sustained {options.Rate:N0} msg/s for {options.Duration.TotalSeconds:0} s: applied rate | ≥ 10,000 msg/s | {sustained.AppliedRate:N0} msg/s ({sustained.SamplesPerSecond / 1e6:0.0} M samples/s) |
                | sustained: lost / double-counted | 0 / 0 | {sustained.Lost:N0} / {sustained.DoubleCounted:N0} |
                | sustained: publish→applied p50 / p99 | — | {sustained.P50Ms:0.#} / {sustained.P99Ms:0.#} ms |
                | half rate: publish→applied p50 / p99 | p99 < 100 ms | {half.P50Ms:0.#} / {half.P99Ms:0.#} ms |
                | half rate: lost / double-counted | 0 / 0 | {half.Lost:N0} / {half.DoubleCounted:N0} |
                """));
            if (ctx.Json)
            {
                CliContext.WriteJson(new
                {
                    signedIn = options.SignIn,
                    rawBrokerPerSecond = double.IsNaN(raw) ? (double?)null : raw,
                    unpacedAppliedPerSecond = unpaced.AppliedRate,
                    sustainedAppliedPerSecond = sustained.AppliedRate,
                    sustainedP50Ms = sustained.P50Ms,
                    sustainedP99Ms = sustained.P99Ms,
                    halfRateP50Ms = half.P50Ms,
                    halfRateP99Ms = half.P99Ms,
                    lost = unpaced.Lost + sustained.Lost + half.Lost,
                    doubleCounted = unpaced.DoubleCounted + sustained.DoubleCounted + half.DoubleCounted,
                });
            }

            return new[] { unpaced, sustained, half }.All(p => p.Lost == 0 && p.DoubleCounted == 0) ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static Command Condition()
    {
        var broker = new Option<string>("--broker") { Description = "MQTT broker host:port.", DefaultValueFactory = _ => "127.0.0.1:1883" };
        var twinCount = new Option<int>("--twins") { Description = "Bearing twins analysing vibration.", DefaultValueFactory = _ => 1000 };
        var fs = new Option<double>("--fs") { Description = "Vibration sample rate, Hz (one 1-second block per twin per second).", DefaultValueFactory = _ => 1000 };
        var faulty = new Option<int>("--faulty") { Description = "Bearings that grow a defect during the run.", DefaultValueFactory = _ => 10 };
        var warmUp = new Option<int>("--warm-up") { Description = "Seconds before measuring.", DefaultValueFactory = _ => 20 };
        var duration = new Option<int>("--duration") { Description = "Seconds measured.", DefaultValueFactory = _ => 60 };
        var siloPid = new Option<int?>("--silo-pid") { Description = "The silo's process id on this machine, to report its CPU." };
        var models = new Option<string>("--models") { Description = "The repository's models folder.", DefaultValueFactory = _ => "models" };
        var command = new Command("condition",
            "Condition monitoring at fleet scale: the simulator publishes vibration for N bearing twins over MQTT; measures the time the " +
            "twins spend analysing (cores) against one analyzer here on the same windows, the silo's CPU, and the health roll-up.")
        {
            broker, twinCount, fs, faulty, warmUp, duration, siloPid, models,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var (host, port) = ParseEndpoint(ctx.Value(broker));
            if (ctx.Value(twinCount) < 1 || ctx.Value(fs) < 100 || ctx.Value(duration) < 1 || ctx.Value(warmUp) < 0 || ctx.Value(faulty) < 0)
            {
                throw new UsageException("--twins and --duration must be positive, --fs at least 100 Hz, --warm-up and --faulty not negative");
            }

            await using var connection = await ctx.ConnectAsync(ct);
            var options = new Client.Bench.ConditionBenchOptions
            {
                Host = host,
                Port = port,
                Twins = ctx.Value(twinCount),
                SampleRateHz = ctx.Value(fs),
                Faulty = ctx.Value(faulty),
                WarmUp = TimeSpan.FromSeconds(ctx.Value(warmUp)),
                Duration = TimeSpan.FromSeconds(ctx.Value(duration)),
                SiloProcessId = ctx.Value(siloPid),
                ModelsRoot = ctx.Value(models),
            };
            var bench = new Client.Bench.ConditionBench(connection.Client, options, Console.WriteLine);
            await bench.SetUpAsync(ct);
            var r = await bench.RunAsync(ct);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                | figure ({r.Twins:N0} bearing twins, {options.SampleRateHz:N0} Hz, {r.Seconds:0} s measured) | target | measured |
                |---|---|---|
                | messages applied | {r.Twins:N0}/s | {r.AppliedPerSecond:N0}/s |
                | windows analysed | — | {r.WindowsPerSecond:N0}/s |
                | CPU inside the twins' condition monitors (each call timed on its thread's CPU clock) | < 0.5 core | {r.AnalysisCores:0.000} cores |
                | the same windows in one analyzer in this process (reference) | — | {r.ReferenceCores:0.000} cores (twins / reference {r.AnalysisCores / r.ReferenceCores:0.00}) |
                | silo process CPU, everything (ingress, streams, twins, broker) | — | {(r.SiloCores is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + " cores" : "give --silo-pid")} |
                | this process (simulator and publisher) | — | {r.BenchCores:0.00} cores |
                | device timestamp → applied p50 / p99 | — | {r.P50Ms:0} / {r.P99Ms:0} ms |
                | {r.Root.TwinId} health | — | {r.Root.Status}, {r.Root.Monitored:N0} monitored, {r.Root.Alarms} alarms, {r.Root.Warnings} warnings, {r.OpenAlerts} open alerts |
                """));
            Console.WriteLine(r.Root.Explain());
            return r.AnalysisCores < 0.5 ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static (string Host, int Port) ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--broker '{text}' must be host:port");
        }

        return (text[..colon], port);
    }
}
