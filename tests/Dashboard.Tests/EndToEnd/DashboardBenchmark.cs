using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TwinCluster.Dashboard.Tests.EndToEnd;

/// <summary>
/// The dashboard's figures, printed (no targets asserted), against a --demo silo in a real browser:
/// <list type="bullet">
/// <item>the fleet page before and after importing 10,000 twins: time to first render (rows on screen), to interactive
/// (the circuit runs the page), and to the first live update after a change this benchmark makes (wt-02 moved between
/// farms through the API, so the farm's row changes status without a reload); the pages are warmed up first and every
/// render reads the fleet index afresh;</item>
/// <item>condition pages left open with their 1 Hz updates, first one tab for DASHBOARD_BENCH_MINUTES (default 10), then
/// five for half as long: the silo's managed memory after a forced full collection, once a minute, and the growth per
/// minute after the warm-up, per circuit from the difference between five tabs and one.</item>
/// </list>
/// Explicit: <c>dotnet test --project tests/Dashboard.Tests -- --filter-class '*DashboardBenchmark*' --explicit only</c>.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed partial class DashboardBenchmark(DemoSilo silo)
{
    private const string Bearing = "wt-01-gen-de";
    private const string Moved = "wt-02";
    private const string Home = "farm-1";
    private const int RenderSamples = 5;
    private const int LiveSamples = 6;   // even: wt-02 ends where it started
    private const int MoreTabs = 4;

    private readonly StringBuilder _report = new();

    [Fact(Explicit = true)]
    public async Task Fleet_with_10000_twins_and_condition_pages_left_open()
    {
        var minutes = int.TryParse(Environment.GetEnvironmentVariable("DASHBOARD_BENCH_MINUTES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : 10;
        Assert.True(minutes >= 3, "DASHBOARD_BENCH_MINUTES must be 3 or more (a warm-up and at least two minutes to fit a slope)");
        var warmup = Warmup(minutes);
        // Five tabs for half as long (at least the warm-up and two more minutes): enough for their slope, and the run stays
        // within a session's time.
        var fiveMinutes = Math.Max(warmup + 2, minutes / 2);
        using var api = Api();
        Say($"dashboard benchmark: condition pages {minutes} min with 1 tab, then {fiveMinutes} min with 5; warm-up {warmup} min; load at start: {Load()}");

        await using var browser = await Browser.LaunchAsync();
        if (Environment.GetEnvironmentVariable("DASHBOARD_BENCH_FLEET") != "0")
        {
            await FleetPhaseAsync(browser, api);
        }
        else
        {
            Say("fleet phase skipped (DASHBOARD_BENCH_FLEET=0)");
        }

        await ConditionPhasesAsync(browser, api, minutes, warmup, fiveMinutes);
    }

    private async Task FleetPhaseAsync(Browser browser, HttpClient api)
    {
        var fleet = await browser.NewPageAsync();
        await fleet.GotoAsync(silo.SignInLink);   // signs this context in and lands on the fleet
        await Assertions.Expect(fleet.Locator($"[data-twin='{Home}']")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        // The demo's wt-02 has reported health (it is what the live samples move).
        await Poll.UntilAsync(async () => await HealthStatusAsync(api, Moved) is "Normal" or "Warning" or "Alarm" ? "reported" : null, TimeSpan.FromMinutes(3), "wt-02's first health");

        // The reference in the same run: the demo farm and one empty farm to move wt-02 into.
        await ImportAsync(FarmLine("farm-ref", "Reference farm"), "farm-ref");
        // Two loads not counted (JIT, the first circuit), as the 10k run has the reference's behind it plus one of its own.
        var small = await FleetTimes(fleet, "farm-ref", warmups: 2);

        // 10,000 more: farm-big with 1,000 turbines of 9 blades each (imported through the CLI, as an operator would).
        var import = Stopwatch.StartNew();
        await ImportAsync(BigFarm(1000, 9), "farm-big");
        Say($"imported farm-big (10,001 twins) in {import.Elapsed.TotalSeconds:0.0} s");
        var big = await FleetTimes(fleet, "farm-big", warmups: 1);
        var open = Stopwatch.StartNew();
        await fleet.GetByTestId("toggle-farm-big").ClickAsync();
        await fleet.Locator("[data-twin='big-0000']").WaitForAsync(new() { Timeout = 60_000 });
        var openMs = open.Elapsed.TotalMilliseconds;
        await Browser.ShotAsync(fleet, "fleet-10k");

        Say("");
        Say("| fleet page | twins | first render, ms | interactive, ms | first live update, ms |");
        Say("|---|---:|---:|---:|---:|");
        Say(Row("demo farm + farm-ref (reference)", small));
        Say(Row("+ farm-big (10,001 more)", big));
        Say(string.Create(CultureInfo.InvariantCulture,
            $"ratio 10k / reference (medians): first render {Ratio(big.Render, small.Render)}, interactive {Ratio(big.Interactive, small.Interactive)}, live update {Ratio(big.Live, small.Live)}"));
        Say($"opening farm-big (1,000 turbines, children read lazily): {openMs:0} ms to its first row");
        Say($"(medians of {RenderSamples} renders, each reading the fleet index afresh, and of {LiveSamples} moves of wt-02; min–max in brackets)");
        await fleet.Context.CloseAsync();
    }

    private async Task ConditionPhasesAsync(Browser browser, HttpClient api, int minutes, int warmup, int fiveMinutes)
    {
        // Condition pages left open: one tab, then five.
        Say("");
        Say($"load before the condition phases: {Load()}");
        var none = await MemoryAsync(api);
        Say($"no condition page open: managed {none.ManagedMb:0.0} MB, working set {none.WorkingSetMb:0} MB, circuits {none.Circuits}");
        var clock = Stopwatch.StartNew();
        var tabs = new List<IPage> { await OpenConditionAsync(browser) };
        var one = await SampleAsync(api, tabs, clock, minutes, "1 tab");
        var fiveStart = clock.Elapsed.TotalMinutes;
        for (var i = 0; i < MoreTabs; i++)
        {
            tabs.Add(await OpenConditionAsync(browser));
        }

        var five = await SampleAsync(api, tabs, clock, fiveMinutes, "5 tabs");

        Say("");
        Say("| phase | minute | managed MB (after full GC) | working set MB | circuits | updates in the last minute, per tab | redrawn in the browser, per tab |");
        Say("|---|---:|---:|---:|---:|---|");
        foreach (var s in one.Concat(five))
        {
            Say(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Phase} | {s.Minute:0} | {s.ManagedMb:0.0} | {s.WorkingSetMb:0} | {s.Circuits} | {string.Join(" ", s.UpdatesPerTab)} | {string.Join(" ", s.RedrawsPerTab)} |"));
        }

        var fit1 = Fit(one.Where(s => s.Minute >= warmup).Select(s => (s.At, s.ManagedMb)).ToList());
        var fit5 = Fit(five.Where(s => s.Minute >= warmup).Select(s => (s.At, s.ManagedMb)).ToList());
        var perCircuitSlope = (fit5.Slope - fit1.Slope) / MoreTabs;
        // Both lines at the moment the four tabs were opened: the difference is what four circuits hold.
        var perCircuitLevel = (fit5.At(fiveStart) - fit1.At(fiveStart)) / MoreTabs;
        var silo0 = fit1.Slope - perCircuitSlope;
        Say("");
        Say(string.Create(CultureInfo.InvariantCulture, $"managed memory growth after minute {warmup} (least squares): 1 tab {fit1.Slope:+0.00;-0.00} MB/min, 5 tabs {fit5.Slope:+0.00;-0.00} MB/min"));
        Say(string.Create(CultureInfo.InvariantCulture, $"per circuit: growth {perCircuitSlope:+0.000;-0.000} MB/min (= (5 tabs - 1 tab) / 4), holds {perCircuitLevel:0.00} MB; the silo itself {silo0:+0.00;-0.00} MB/min"));
        Say(string.Create(CultureInfo.InvariantCulture,
            $"per-circuit growth over {minutes} min: {perCircuitSlope * minutes:+0.00;-0.00} MB, {100 * perCircuitSlope * minutes / Math.Max(0.01, Math.Abs(perCircuitLevel)):0} % of what a circuit holds"));
        Say($"load at the end: {Load()}");
        await File.WriteAllTextAsync(Path.Combine(DemoSilo.ScreenshotFolder, "..", "dashboard-benchmark.txt"), _report.ToString(), TestContext.Current.CancellationToken);

        Assert.All(one.Concat(five).Where(s => s.Minute > 0), s => Assert.True(s.UpdatesPerTab.All(u => u > 0), $"{s.Phase} minute {s.Minute}: a tab had no live update (-1: it did not answer)"));
    }

    private sealed record FleetSample(int Twins, Stats Render, Stats Interactive, Stats Live);

    private sealed record Stats(double Median, double Min, double Max)
    {
        public static Stats Of(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return new Stats(sorted[sorted.Length / 2], sorted[0], sorted[^1]);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Median:0} ({Min:0}–{Max:0})");
    }

    private sealed record MemorySample(string Phase, double Minute, double At, double ManagedMb, double WorkingSetMb, int Circuits, long[] UpdatesPerTab, long[] RedrawsPerTab);

    private sealed record Line(double Slope, double Intercept)
    {
        public double At(double x) => Intercept + Slope * x;
    }

    private static string Row(string label, FleetSample s) =>
        string.Create(CultureInfo.InvariantCulture, $"| {label} | {s.Twins:N0} | {s.Render} | {s.Interactive} | {s.Live} |");

    private static string Ratio(Stats a, Stats b) => string.Create(CultureInfo.InvariantCulture, $"{a.Median / Math.Max(1, b.Median):0.00}x");

    /// <summary>
    /// Fleet page loads (after <paramref name="warmups"/> uncounted ones), then wt-02 moved into <paramref name="farm"/>
    /// and back, timing until the farm's row shows the change.
    /// </summary>
    private async Task<FleetSample> FleetTimes(IPage page, string farm, int warmups)
    {
        var render = new List<double>();
        var interactive = new List<double>();
        var twins = 0;
        for (var i = 0; i < warmups + RenderSamples; i++)
        {
            // The fleet index is kept 10 s for all circuits: every render reads it afresh (and sees what was just imported).
            await Task.Delay(TimeSpan.FromSeconds(11), TestContext.Current.CancellationToken);

            await page.GotoAsync("about:blank");
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(silo.Origin + "/", new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator($"[data-twin='{farm}']").WaitForAsync(new() { Timeout = 120_000 });
            var r = clock.Elapsed.TotalMilliseconds;
            await page.Locator("[data-testid=fleet-count][data-live=on]").WaitForAsync(new() { Timeout = 120_000 });
            var ready = clock.Elapsed.TotalMilliseconds;
            if (i >= warmups)
            {
                render.Add(r);
                interactive.Add(ready);
            }

            twins = int.Parse((await page.GetByTestId("fleet-count").InnerTextAsync()).Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        }

        using var api = Api();
        // A reload would lose this; the live updates must arrive without one.
        await page.EvaluateAsync("() => { window.benchmarkMarker = 'same document'; }");
        var live = new List<double>();
        for (var i = 0; i < LiveSamples; i++)
        {
            var into = i % 2 == 0;
            var clock = Stopwatch.StartNew();
            await MoveAsync(api, into ? Home : farm, into ? farm : Home);
            var row = into ? $"[data-twin='{farm}']:not([data-status='Unknown'])" : $"[data-twin='{farm}'][data-status='Unknown']";
            await page.Locator(row).WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
            live.Add(clock.Elapsed.TotalMilliseconds);
            if (i == 0)
            {
                await Browser.ShotAsync(page, "fleet-live-" + farm);
            }
        }

        Assert.Equal("same document", await page.EvaluateAsync<string>("() => window.benchmarkMarker"));
        return new FleetSample(twins, Stats.Of(render), Stats.Of(interactive), Stats.Of(live));
    }

    /// <summary>Moves wt-02 from one farm to another through the ADT API (delete the contains, create the new one).</summary>
    private static async Task MoveAsync(HttpClient api, string from, string to)
    {
        using var removed = await api.DeleteAsync(Relationship(from));
        Assert.True(removed.IsSuccessStatusCode, $"DELETE {from}'s contains of {Moved}: {(int)removed.StatusCode} {await removed.Content.ReadAsStringAsync()}");
        using var added = await api.PutAsJsonAsync(Relationship(to), new Dictionary<string, object> { ["$relationshipName"] = "contains", ["$targetId"] = Moved });
        Assert.True(added.IsSuccessStatusCode, $"PUT {to} contains {Moved}: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
    }

    private static string Relationship(string farm) => $"digitaltwins/{farm}/relationships/{farm}-contains-{Moved}?api-version=2023-10-31";

    private async Task<IPage> OpenConditionAsync(Browser browser)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(silo.SignInLink.Replace("/?token=", $"/condition/{Bearing}?token=", StringComparison.Ordinal));
        await page.GetByTestId("envelope-plot").WaitForAsync(new() { Timeout = 120_000 });
        return page;
    }

    /// <summary>Samples the silo's memory and each tab's update count at minute 0, 1, …, <paramref name="minutes"/>.</summary>
    private async Task<List<MemorySample>> SampleAsync(HttpClient api, List<IPage> tabs, Stopwatch clock, int minutes, string phase)
    {
        var samples = new List<MemorySample>();
        var start = clock.Elapsed;
        var before = await UpdatesAsync(tabs);
        for (var minute = 0; minute <= minutes; minute++)
        {
            var due = start + TimeSpan.FromMinutes(minute);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed, TestContext.Current.CancellationToken);   // pacing: one sample a minute
            }

            var (updates, redraws) = await UpdatesAsync(tabs);
            var memory = await MemoryAsync(api);
            samples.Add(new MemorySample(phase, minute, clock.Elapsed.TotalMinutes, memory.ManagedMb, memory.WorkingSetMb, memory.Circuits,
                [.. updates.Select((u, i) => u < 0 || before.Updates[i] < 0 ? -1 : minute == 0 ? 0 : u - before.Updates[i])],
                [.. redraws.Select((r, i) => r < 0 || before.Redraws[i] < 0 ? -1 : minute == 0 ? 0 : r - before.Redraws[i])]));
            before = (updates, redraws);
            if (minute == Warmup(minutes) || minute == minutes)
            {
                await HeapDumpAsync($"{phase.Replace(' ', '-')}-min{minute}");
            }

            Console.WriteLine($"{phase} minute {minute}: managed {memory.ManagedMb:0.0} MB, circuits {memory.Circuits}, updates {string.Join(" ", samples[^1].UpdatesPerTab)}");
        }

        return samples;
    }

    /// <summary>
    /// Each tab's count of redraws ("window N at … · K updates"), or -1 when the tab did not answer within 20 s (a
    /// browser starved of CPU: the benchmark goes on, and the table shows it).
    /// </summary>
    private async Task<(long[] Updates, long[] Redraws)> UpdatesAsync(List<IPage> tabs)
    {
        var counts = new long[tabs.Count];
        var redrawn = new long[tabs.Count];
        for (var i = 0; i < tabs.Count; i++)
        {
            try
            {
                var text = await tabs[i].GetByTestId("condition-updated").InnerTextAsync(new() { Timeout = 20_000 });
                var match = UpdatesPattern().Match(text);
                counts[i] = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
                redrawn[i] = match.Success && match.Groups[2].Success ? long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : -1;
            }
            catch (TimeoutException)
            {
                // Slow (a busy browser that answers later) or stalled (it never does)? Ask once more and time it.
                var again = Stopwatch.StartNew();
                string later;
                try
                {
                    var answer = await tabs[i].GetByTestId("condition-updated").InnerTextAsync(new() { Timeout = 60_000 });
                    later = $"answered {again.Elapsed.TotalSeconds + 20:0} s after the question: \"{answer}\"";
                }
                catch (TimeoutException)
                {
                    later = "no answer 80 s after the question either";
                }

                Say($"tab {i} ({tabs[i].Url}) did not answer within 20 s; {later}; load {Load()}");
                counts[i] = -1;
                redrawn[i] = -1;
            }
        }

        return (counts, redrawn);
    }

    private static int Warmup(int minutes) => minutes >= 6 ? 2 : 1;

    /// <summary>
    /// With DASHBOARD_BENCH_HEAPDUMPS set to a folder: a heap dump of the silo (the runtime's createdump, right after the
    /// memory endpoint's full collection) to compare what is kept by type, e.g. with ClrMD. Off by default.
    /// </summary>
    private async Task HeapDumpAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("DASHBOARD_BENCH_HEAPDUMPS") is not { Length: > 0 } folder)
        {
            return;
        }

        var createdump = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "createdump");
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(createdump) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--withheap", "-f", Path.Combine(folder, name + ".dmp"), silo.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start) ?? throw new InvalidOperationException("could not start createdump");
        var output = await p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        Console.WriteLine($"heap dump {name}: exit {p.ExitCode} {output.Trim()}");
    }

    private static async Task<(double ManagedMb, double WorkingSetMb, int Circuits)> MemoryAsync(HttpClient api)
    {
        using var json = JsonDocument.Parse(await api.GetStringAsync(new Uri("api/v1/diagnostics/dashboard-memory", UriKind.Relative)));
        var root = json.RootElement;
        return (root.GetProperty("managedBytes").GetInt64() / 1e6, root.GetProperty("workingSetBytes").GetInt64() / 1e6, root.GetProperty("circuits").GetInt32());
    }

    private static async Task<string?> HealthStatusAsync(HttpClient api, string twin)
    {
        using var response = await api.GetAsync(new Uri($"api/v1/health/{twin}?depth=0", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
    }

    /// <summary>Least squares line through the points.</summary>
    private static Line Fit(List<(double X, double Y)> points)
    {
        Assert.True(points.Count >= 2, "at least two samples after the warm-up");
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        var slope = sxx == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
        return new Line(slope, my - slope * mx);
    }

    private async Task ImportAsync(string ndjson, string root)
    {
        var file = Path.Combine(silo.Folder, root + ".ndjson");
        await File.WriteAllTextAsync(file, ndjson, TestContext.Current.CancellationToken);
        var (exit, stdout, stderr) = await silo.TwinAsync("twins", "import", file);
        Assert.True(exit == 0, $"import {root}: {stdout} {stderr}");
    }

    private HttpClient Api()
    {
        // The silo's development certificate of this run, on loopback (the API tests check its chain).
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        var client = new HttpClient(handler) { BaseAddress = new Uri(silo.Origin + "/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", silo.AdminToken);
        return client;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Trim();

    private void Say(string line)
    {
        _report.AppendLine(line);
        Console.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }

    private static string FarmLine(string id, string name) =>
        "{\"kind\":\"twin\",\"id\":\"" + id + "\",\"model\":\"dtmi:twincluster:windfarm:WindFarm;1\",\"properties\":{\"name\":\"" + name + "\"}}\n";

    private static string BigFarm(int turbines, int components)
    {
        var text = new StringBuilder(FarmLine("farm-big", "Big Farm"));
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

    [GeneratedRegex(@"· (\d+) updates(?: · (\d+) redrawn)?")]
    private static partial Regex UpdatesPattern();
}
