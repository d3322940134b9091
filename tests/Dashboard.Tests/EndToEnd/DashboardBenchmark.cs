using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace TwinCluster.Dashboard.Tests.EndToEnd;

/// <summary>
/// The dashboard's figures, printed (not asserted against targets): the fleet page with 10,000 extra twins beside the
/// demo farm (time to first render, time to the first live update from the change feed), and a condition page left
/// open with its 1 Hz updates (the silo's memory over the run, per circuit against the same run with none open).
/// Explicit: <c>dotnet test --project tests/Dashboard.Tests -- --filter-class '*DashboardBenchmark*' --explicit only</c>;
/// DASHBOARD_BENCH_MINUTES sets the condition run (default 2; the issue asks for 10).
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class DashboardBenchmark(DemoSilo silo)
{
    [Fact(Explicit = true)]
    public async Task Fleet_with_10000_twins_and_a_condition_page_left_open()
    {
        var report = new StringBuilder();
        void Say(string line)
        {
            report.AppendLine(line);
            Console.WriteLine(line);
            TestContext.Current.SendDiagnosticMessage(line);
        }

        var minutes = double.TryParse(Environment.GetEnvironmentVariable("DASHBOARD_BENCH_MINUTES"), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : 2;
        await using var browser = await Browser.LaunchAsync();

        // The reference, in the same run: the fleet page of the demo farm alone (17 twins).
        var small = await FleetTimes(browser, "demo farm only");
        Say($"fleet, demo farm only ({small.Twins} twins): first render {small.RenderMs:0} ms, first live update {small.LiveMs:0} ms after it");

        // 10,000 more: farm-big with 1,000 turbines of 9 components each (imported through the CLI, as an operator would).
        var file = Path.Combine(silo.Folder, "big.ndjson");
        await File.WriteAllTextAsync(file, BigFarm(1000, 9), TestContext.Current.CancellationToken);
        var import = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await silo.TwinAsync("twins", "import", file);
        Assert.True(exit == 0, $"import: {stdout} {stderr}");
        Say($"imported farm-big (10,001 twins) in {import.Elapsed.TotalSeconds:0.0} s");

        var big = await FleetTimes(browser, "10k");
        Say($"fleet, with 10,000 more ({big.Twins} twins): first render {big.RenderMs:0} ms, first live update {big.LiveMs:0} ms after it");
        Say($"ratio 10k / demo farm: first render {big.RenderMs / Math.Max(1, small.RenderMs):0.0}x");

        // A condition page left open: the silo's memory while no dashboard is open, then with one, then with four.
        var baseline = await MemoryAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(silo.SignInLink.Replace("/?token=", "/condition/wt-01-gen-de?token=", StringComparison.Ordinal));
        await page.GetByTestId("envelope-plot").WaitForAsync(new() { Timeout = 120_000 });
        var samples = new List<(double Minute, double HeapMb, double RssMb, string Updates)>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalMinutes < minutes)
        {
            var (heap, rss) = await MemoryAsync();
            samples.Add((clock.Elapsed.TotalMinutes, heap, rss, await page.GetByTestId("condition-updated").InnerTextAsync()));
            await Task.Delay(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        }

        foreach (var s in samples)
        {
            Say($"  condition page open {s.Minute:0.0} min: GC heap {s.HeapMb:0.0} MB, RSS {s.RssMb:0} MB ({s.Updates})");
        }

        var half = samples.Count / 2;
        var first = samples.Take(Math.Max(1, half)).Average(s => s.HeapMb);
        var last = samples.Skip(half).DefaultIfEmpty(samples[^1]).Average(s => s.HeapMb);
        Say($"condition page, {minutes:0.#} min at 1 Hz: GC heap first half {first:0.0} MB, second half {last:0.0} MB (drift {last - first:+0.0;-0.0} MB); with no page open {baseline.HeapMb:0.0} MB");

        var more = new List<IPage>();
        for (var i = 0; i < 4; i++)
        {
            var p = await browser.NewPageAsync();
            await p.GotoAsync(silo.SignInLink.Replace("/?token=", "/condition/wt-01-gen-de?token=", StringComparison.Ordinal));
            await p.GetByTestId("envelope-plot").WaitForAsync(new() { Timeout = 120_000 });
            more.Add(p);
        }

        var heaps = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            heaps.Add((await MemoryAsync()).HeapMb);
        }

        var five = heaps.Average();
        Say($"memory per condition circuit: ({five:0.0} MB with 5 open - {last:0.0} MB with 1) / 4 = {(five - last) / 4:0.00} MB");
        await File.WriteAllTextAsync(Path.Combine(DemoSilo.ScreenshotFolder, "..", "dashboard-benchmark.txt"), report.ToString(), TestContext.Current.CancellationToken);
    }

    private async Task<(int Twins, double RenderMs, double LiveMs)> FleetTimes(Browser browser, string label)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(silo.SignInLink);   // signs in and lands on the fleet
        await page.GotoAsync("about:blank");
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(silo.Origin + "/");
        await page.Locator("[data-twin]").First.WaitForAsync(new() { Timeout = 120_000 });
        var render = clock.Elapsed.TotalMilliseconds;
        var text = await page.GetByTestId("fleet-count").InnerTextAsync();
        var twins = int.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        var live = Stopwatch.StartNew();
        await Assertions.Expect(page.GetByTestId("fleet-count")).Not.ToContainTextAsync("live updates: 0", new() { Timeout = 120_000 });
        var liveMs = live.Elapsed.TotalMilliseconds;
        await Browser.ShotAsync(page, "fleet-" + label.Replace(' ', '-'));
        await page.Context.CloseAsync();
        return (twins, render, liveMs);
    }

    private async Task<(double HeapMb, double RssMb)> MemoryAsync()
    {
        // The silo's own Prometheus metrics (plain HTTP port) give the GC heap; /proc gives the resident set.
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{silo.HttpPort}/metrics"));
        // The runtime meter's heap size after the last collection, summed over generations ("name{labels} value [timestamp]").
        var heap = metrics.Split('\n')
            .Where(l => l.StartsWith("dotnet_gc_last_collection_heap_size_bytes", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).Sum() / 1e6;
        var rss = File.ReadAllLines($"/proc/{silo.ProcessId}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();
        return (heap, rss);
    }

    private static string BigFarm(int turbines, int components)
    {
        var text = new StringBuilder();
        text.AppendLine("""{"kind":"twin","id":"farm-big","model":"dtmi:twincluster:windfarm:WindFarm;1","properties":{"name":"Big Farm"}}""");
        for (var t = 0; t < turbines; t++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"big-{t:0000}");
            text.Append("{\"kind\":\"twin\",\"id\":\"").Append(id).Append("\",\"model\":\"dtmi:twincluster:windfarm:Turbine;1\",\"properties\":{\"name\":\"").Append(id).AppendLine("\"}}");
            Contains(text, "farm-big", id);
            for (var c = 0; c < components; c++)
            {
                var cid = string.Create(CultureInfo.InvariantCulture, $"{id}-b{c}");
                text.Append("{\"kind\":\"twin\",\"id\":\"").Append(cid).AppendLine("\",\"model\":\"dtmi:twincluster:windfarm:Blade;1\",\"properties\":{}}");
                Contains(text, id, cid);
            }
        }

        return text.ToString();
    }

    private static void Contains(StringBuilder text, string source, string target) =>
        text.Append("{\"kind\":\"relationship\",\"source\":\"").Append(source).Append("\",\"name\":\"contains\",\"target\":\"").Append(target)
            .Append("\",\"id\":\"").Append(source).Append("-contains-").Append(target).AppendLine("\",\"properties\":{}}");
}
