using System.Text.Json;
using Microsoft.Playwright;

namespace TwinCluster.Dashboard.Tests.EndToEnd;

/// <summary>
/// The dashboard in a real browser against a real silo started with --demo: sign in with the printed link, the fleet,
/// the wt-01-gen-de alert arriving live, its condition page, acknowledging it, and what a reader and a stranger see.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class DashboardEndToEndTests(DemoSilo silo)
{
    private const string Bearing = "wt-01-gen-de";

    // The demo's defect reaches the warning level after two to three minutes of simulated telemetry.
    private static readonly TimeSpan AlertTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Operator_signs_in_sees_the_alert_arrive_live_opens_its_condition_and_acknowledges_it()
    {
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();

        // The printed link signs the browser in and lands on the fleet without the token in the address.
        await page.GotoAsync(silo.SignInLink);
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        await page.GetByTestId("fleet-tree").WaitForAsync();
        // The demo imports its farm just after start: the fleet shows it when its first health arrives.
        await Assertions.Expect(page.Locator("[data-twin='farm-1']")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-twin='wt-01']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("admin");
        // "Why" explains the health (here a turbine's: its monitored components), not the model id.
        await Assertions.Expect(page.Locator("[data-twin='wt-01'] [data-testid=why]")).ToContainTextAsync("monitored component", new() { Timeout = 90_000 });
        Assert.DoesNotContain("dtmi:", await page.Locator("[data-twin='farm-1'] [data-testid=why]").InnerTextAsync(), StringComparison.Ordinal);
        await Browser.ShotAsync(page, "fleet");

        // A why longer than its column is cut with an ellipsis; on hover the whole text shows (wrapped, nothing cut).
        var why = page.Locator("[data-twin='wt-01'] [data-testid=why]");
        await why.HoverAsync();
        var shown = await why.EvaluateAsync<JsonElement>("e => ({ cut: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1, wrap: getComputedStyle(e).whiteSpace, title: e.title, text: e.innerText })");
        Assert.False(shown.GetProperty("cut").GetBoolean(), "the hovered why is cut: " + shown.GetRawText());
        Assert.Equal("normal", shown.GetProperty("wrap").GetString());
        Assert.Equal(shown.GetProperty("text").GetString(), shown.GetProperty("title").GetString());
        await Browser.ShotAsync(page, "fleet-why-hover");
        await page.Mouse.MoveAsync(0, 0);

        // The alerts page, opened before the alert exists (or not yet acknowledged), shows it when it comes: no reload.
        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts", Exact = true }).ClickAsync();
        await page.GetByTestId("alerts-table").WaitForAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        var row = page.Locator($"tr[data-alert='{Bearing}'][data-open='true']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = (float)AlertTimeout.TotalMilliseconds });
        Assert.Equal(0, navigations);
        await Browser.ShotAsync(page, "alerts");

        // Its condition page: the envelope spectrum with the BPFO markers, and a matched BPFO line.
        await row.GetByRole(AriaRole.Link, new() { Name = Bearing }).ClickAsync();
        await page.WaitForURLAsync($"**/condition/{Bearing}");
        var envelope = page.GetByTestId("envelope-plot");
        await Assertions.Expect(envelope.Locator("text=BPFO x1")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(envelope.Locator("text=BPFO x2")).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("[data-testid='matched-line'][data-family='BPFO']").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        // The matched lines are drawn on the plot too (one marker each in the "matched lines" trace).
        Assert.True(await envelope.Locator("g.trace.scatter").CountAsync() >= 2, "the envelope plot has the spectrum and the matched-lines traces");
        await Assertions.Expect(page.GetByTestId("diagnosis")).ToContainTextAsync("outer-race");
        await Browser.ShotAsync(page, "condition");

        // Updated as windows are analysed (the twin tells the page; it does not poll): the window moves on, no reload.
        var navigationsHere = navigations;
        var updated = page.GetByTestId("condition-updated");
        var windowText = await updated.InnerTextAsync();
        await Assertions.Expect(updated).Not.ToHaveTextAsync(windowText, new() { Timeout = 30_000 });
        Assert.Equal(navigationsHere, navigations);

        // The trends read the component's history (the embedded default's in-memory tier) and continue with the live
        // windows; another range reads it again.
        var source = page.GetByTestId("trend-source");
        await Assertions.Expect(source).ToContainTextAsync("history 1 h in");
        await Assertions.Expect(source).ToContainTextAsync("memory");
        await page.GetByTestId("trend-range-24h").ClickAsync();
        await Assertions.Expect(source).ToContainTextAsync("history 24 h in");
        Assert.Equal(navigationsHere, navigations);

        // Acknowledge with a note.
        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts", Exact = true }).ClickAsync();
        var button = page.GetByTestId("acknowledge-" + Bearing);
        await button.ClickAsync();
        await page.Locator("[data-testid=ack-note] textarea, textarea[data-testid=ack-note]").First.FillAsync("e2e: bearing inspection booked");
        await Browser.ShotAsync(page, "acknowledge");
        await page.GetByTestId("ack-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("ack-" + Bearing)).ToContainTextAsync("e2e: bearing inspection booked");

        // The CLI sees the acknowledgement with who and the note.
        var acknowledged = await Poll.UntilAsync(async () =>
        {
            var (exit, stdout, stderr) = await silo.TwinAsync("alerts", "list", "--json");
            Assert.True(exit == 0, "twin alerts list: " + stderr);
            using var json = JsonDocument.Parse(stdout);
            return json.RootElement.EnumerateArray()
                .Where(a => a.GetProperty("twin").GetString() == Bearing && a.TryGetProperty("acknowledgedBy", out var by) && by.ValueKind == JsonValueKind.String)
                .Select(a => a.GetRawText()).FirstOrDefault();
        }, TimeSpan.FromSeconds(30), "the acknowledgement in twin alerts list");
        Assert.Contains("token:embedded-admin", acknowledged, StringComparison.Ordinal);
        Assert.Contains("e2e: bearing inspection booked", acknowledged, StringComparison.Ordinal);

        // The other pages, for the record (and the README).
        await page.GotoAsync(silo.Origin + "/twin/" + Bearing);
        await page.GetByTestId("twin-properties").WaitForAsync();
        await Browser.ShotAsync(page, "twin");
        await page.GotoAsync(silo.Origin + "/model-catalog?model=" + Uri.EscapeDataString("dtmi:twincluster:windfarm:Bearing;1"));
        await page.GetByTestId("models-table").WaitForAsync();
        await Assertions.Expect(page.GetByTestId("model-json")).ToContainTextAsync("dtmi:twincluster:windfarm:Bearing;1");
        await Browser.ShotAsync(page, "models");
        await page.GotoAsync(silo.Origin + "/explore");
        // A click before the page's circuit is live does nothing: click again until the results (or an error) show.
        await Poll.UntilAsync(async () =>
        {
            await page.GetByTestId("query-run").ClickAsync();
            try
            {
                await page.Locator("[data-testid=query-results], [data-testid=query-error]").First.WaitForAsync(new() { Timeout = 3000 });
                return "shown";
            }
            catch (Microsoft.Playwright.PlaywrightException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(45), "the query results");
        Assert.Equal(0, await page.GetByTestId("query-error").CountAsync());
        await Browser.ShotAsync(page, "query");
        await page.GotoAsync(silo.Origin + "/ingest");
        await page.GetByTestId("ingest-rate").WaitForAsync();
        // The prerendered page has empty plot boxes: wait until Plotly has drawn the rate's trace in the live page.
        await page.Locator("#ingest-rate-plot g.trace").First.WaitForAsync(new() { Timeout = 30_000 });
        await Browser.ShotAsync(page, "ingest");
    }

    [Fact]
    public async Task The_memory_diagnostics_answer_an_admin_only_and_count_the_open_circuits()
    {
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(silo.SignInLink);
        await page.Locator("[data-testid=fleet-count][data-live=on]").WaitForAsync();
        var reader = await silo.CreateTokenAsync("reader");
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(silo.Origin) };
        async Task<HttpResponseMessage> Get(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/diagnostics/dashboard-memory");
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            return await http.SendAsync(request, TestContext.Current.CancellationToken);
        }

        using (var anonymous = await Get(null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var refused = await Get(reader))
        {
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var ok = await Get(silo.AdminToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        using var json = JsonDocument.Parse(await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(json.RootElement.GetProperty("managedBytes").GetInt64() > 1_000_000, json.RootElement.GetRawText());
        Assert.True(json.RootElement.GetProperty("connectedCircuits").GetInt32() >= 1, json.RootElement.GetRawText());
    }

    [Fact]
    public async Task A_reader_sees_the_alert_but_no_acknowledge_button()
    {
        await using var browser = await Browser.LaunchAsync();
        var reader = await silo.CreateTokenAsync("reader");
        var page = await browser.NewPageAsync();
        await page.GotoAsync(silo.Origin + "/alerts?token=" + Uri.EscapeDataString(reader));
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("reader");
        var row = page.Locator($"tr[data-alert='{Bearing}']");
        await Assertions.Expect(row.First).ToBeVisibleAsync(new() { Timeout = (float)AlertTimeout.TotalMilliseconds });
        Assert.Equal(0, await page.Locator("[data-testid^='acknowledge-']").CountAsync());
        await Browser.ShotAsync(page, "alerts-reader");
    }

    [Fact]
    public async Task Without_a_token_every_page_leads_to_the_sign_in_page()
    {
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        foreach (var path in new[] { "/", "/alerts", "/condition/" + Bearing })
        {
            await page.GotoAsync(silo.Origin + path);
            Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
            await Assertions.Expect(page.GetByTestId("signin-form")).ToBeVisibleAsync();
            Assert.Equal(0, await page.GetByTestId("fleet-tree").CountAsync());
        }

        // A wrong token is refused with a message; the sign-in page stays.
        await page.Locator("#token").FillAsync("tct_000000000000_not-a-real-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-error")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "signin");

        // The form with the admin token signs in and goes back where the user was going.
        await page.GotoAsync(silo.Origin + "/alerts");
        await page.Locator("#token").FillAsync(silo.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts");
        await page.GetByTestId("alerts-table").WaitForAsync();
    }
}
