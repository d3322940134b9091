using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TwinCluster.Integration.Tests.Api;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Telemetry;
using Xunit;

namespace TwinCluster.Integration.Tests.Scaling;

/// <summary>
/// The Orleans dashboard (Microsoft.Orleans.Dashboard) as an operator reaches it: served by a real silo on its HTTPS
/// port under <c>/dashboard</c> when <c>TwinCluster:Dashboard</c> is on, for an unscoped admin only (a signed-in browser or an API token).
/// Its own JSON (silo and grain counts) is read to show it really reports this cluster.
/// </summary>
public sealed class OrleansDashboardTests
{
    [Fact]
    public async Task Only_a_signed_in_unscoped_admin_reaches_the_orleans_dashboard()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = SiloProcess.Start(null, "dash-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string> { ["TwinCluster__Dashboard"] = "true" });
        await silo.WaitReadyAsync(1, ct);
        var endpoint = new Uri($"https://127.0.0.1:{silo.HttpsPort}");
        using var admin = ApiSilo.CreateClient(endpoint, silo.AdminToken);

        var reader = await CreateTokenAsync(admin, "dash-reader", "reader", null, ct);
        var scopedAdmin = await CreateTokenAsync(admin, "dash-admin-a", "admin", "farm-a", ct);

        // Nobody signed in: the browser is sent to the sign-in page, and the dashboard's data is not served.
        using (var anonymous = Browser(endpoint, out _))
        {
            using var page = await anonymous.GetAsync("/dashboard/", ct);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.True(IsSignIn(page), $"sent to {page.Headers.Location}, not the sign-in page");
            using var counters = await anonymous.GetAsync("/dashboard/DashboardCounters", ct);
            Assert.NotEqual(HttpStatusCode.OK, counters.StatusCode);
        }

        // Scripts may read it with an API token: the admin's is served, a reader's is refused.
        using (var bearer = await admin.GetAsync("/dashboard/DashboardCounters", ct))
        {
            Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        }

        using (var readerClient = ApiSilo.CreateClient(endpoint, reader))
        using (var bearer = await readerClient.GetAsync("/dashboard/DashboardCounters", ct))
        {
            Assert.NotEqual(HttpStatusCode.OK, bearer.StatusCode);
            Assert.DoesNotContain("totalActiveHostCount", await bearer.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
        }

        // A reader and an admin scoped to one farm are signed in, but refused: cluster internals are for an unscoped admin.
        foreach (var (name, token) in new[] { ("reader", reader), ("scoped admin", scopedAdmin) })
        {
            using var browser = await SignedInBrowserAsync(endpoint, token, ct);
            using var counters = await browser.GetAsync("/dashboard/DashboardCounters", ct);
            Assert.True(counters.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect && !IsSignIn(counters),
                $"{name}: expected a refusal that is not a sign-in request, got {(int)counters.StatusCode} {counters.Headers.Location}");
            var text = await counters.Content.ReadAsStringAsync(ct);
            Assert.DoesNotContain("totalActiveHostCount", text, StringComparison.OrdinalIgnoreCase);
        }

        // The admin's browser gets the page and its live counters, which name this cluster's one silo and its grains.
        using var adminBrowser = await SignedInBrowserAsync(endpoint, silo.AdminToken, ct);
        using (var page = await adminBrowser.GetAsync("/dashboard/", ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
        }

        JsonNode? dashboard = null;
        // The dashboard gathers its counters on a timer after start: poll until they include the silo and some grains.
        await TelemetryTestKit.PollAsync(async () =>
        {
            using var counters = await adminBrowser.GetAsync("/dashboard/DashboardCounters", ct);
            return counters.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await counters.Content.ReadAsStringAsync(ct)) : null;
        }, d => (dashboard = d) is not null && (int?)d!["totalActiveHostCount"] == 1 && ((JsonArray?)d!["simpleGrainStats"])?.Count > 0, ct);
        Assert.Equal(1, (int?)dashboard!["totalActiveHostCount"]);
        Assert.Contains(dashboard["simpleGrainStats"]!.AsArray(), g => ((string?)g!["grainType"])?.Contains("TwinCluster", StringComparison.Ordinal) == true);
    }

    // The cookie handler answers with a relative or an absolute URL, depending on the path it came from.
    private static bool IsSignIn(HttpResponseMessage response) =>
        response.Headers.Location is { } location
        && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString).StartsWith("/signin", StringComparison.Ordinal);

    private static HttpClient Browser(Uri endpoint, out CookieContainer cookies)
    {
        var jar = new CookieContainer();
        cookies = jar;
        return ApiSilo.CreateClient(endpoint, handler: h => { h.CookieContainer = jar; h.AllowAutoRedirect = false; });
    }

    private static async Task<HttpClient> SignedInBrowserAsync(Uri endpoint, string token, CancellationToken ct)
    {
        var browser = Browser(endpoint, out var cookies);
        using var link = await browser.GetAsync($"/?token={Uri.EscapeDataString(token)}", ct);
        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        Assert.Single(cookies.GetAllCookies());
        return browser;
    }

    private static async Task<string> CreateTokenAsync(HttpClient admin, string name, string role, string? scope, CancellationToken ct)
    {
        var body = new JsonObject { ["role"] = role, ["name"] = name, ["scope"] = scope };
        using var response = await admin.PostAsync("/api/v1/auth/tokens", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);
        var answer = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"token {name}: {(int)response.StatusCode} {answer}");
        return JsonNode.Parse(answer)!["token"]!.GetValue<string>();
    }
}
