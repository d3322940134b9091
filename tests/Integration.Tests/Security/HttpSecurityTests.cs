using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TwinCluster.Integration.Tests.Api;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Telemetry;
using Xunit;

namespace TwinCluster.Integration.Tests.Security;

/// <summary>
/// The HTTP API of a real silo signs everyone in and lets each principal do only what its role and scope allow: API
/// tokens made through the API itself, JWTs signed by a local OpenID Connect issuer whose keys the silo fetches, two
/// farms to scope principals to. Each refusal is checked together with what it must not have changed.
/// </summary>
public sealed class HttpSecurityTests : IAsyncLifetime
{
    private const string V = "api-version=2023-10-31";
    private const string Audience = "twincluster-api";
    private const string DashboardClient = "twincluster-dashboard";
    private const string WindFarm = "dtmi:twincluster:windfarm:WindFarm;1";
    private const string Turbine = "dtmi:twincluster:windfarm:Turbine;1";
    private const string Bearing = "dtmi:twincluster:windfarm:Bearing;1";

    private LocalOidcIssuer? _issuer;
    private SiloProcess? _silo;
    private HttpClient? _http;
    private readonly Dictionary<string, string> _tokens = [];

    private SiloProcess Silo => _silo!;

    public async ValueTask InitializeAsync()
    {
        try
        {
            await SetUpAsync();
        }
        catch
        {
            // xunit does not dispose a class whose set-up failed: stop the silo here, or it outlives the run.
            await DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _issuer = new LocalOidcIssuer();
        _silo = SiloProcess.Start(null, "httpsec", new Dictionary<string, string>
        {
            ["TwinCluster__Auth__Jwt__Authority"] = _issuer.Authority,
            ["TwinCluster__Auth__Jwt__Audience"] = Audience,
            ["TwinCluster__Auth__Jwt__RequireHttpsMetadata"] = "false",
            // Browsers sign in at the same issuer (the dashboard's client).
            ["TwinCluster__Auth__Jwt__ClientId"] = DashboardClient,
            ["TwinCluster__Auth__Jwt__DisplayName"] = "Test IdP",
            // The matrix makes many failed sign-ins from loopback on purpose; the limit itself is tested below.
            ["TwinCluster__Api__FailedSignInsPerMinute"] = "1000",
        });
        await _silo.WaitReadyAsync(1, ct);
        _http = ApiSilo.CreateClient(new Uri($"https://127.0.0.1:{Silo.HttpsPort}"));
        _tokens["admin"] = Silo.AdminToken;

        var (status, body) = await Send(HttpMethod.Post, $"/models?{V}", "admin", new JsonArray([.. ApiSilo.StarterModels().Select(m => m.DeepClone())]).ToJsonString());
        Assert.True(status == 201, $"models: {status} {body}");
        foreach (var (id, model) in new[] { ("farm-a", WindFarm), ("wt-a1", Turbine), ("wt-a1-b", Bearing), ("farm-b", WindFarm), ("wt-b1", Turbine), ("wt-b1-b", Bearing) })
        {
            (status, body) = await Send(HttpMethod.Put, $"/digitaltwins/{id}?{V}", "admin", model == Bearing ? "{\"$metadata\":{\"$model\":\"" + model + "\"}}" : $$"""{"$metadata":{"$model":"{{model}}"},"name":"{{id}}"}""");
            Assert.True(status == 200, $"{id}: {status} {body}");
        }

        foreach (var (source, target) in new[] { ("farm-a", "wt-a1"), ("wt-a1", "wt-a1-b"), ("farm-b", "wt-b1"), ("wt-b1", "wt-b1-b") })
        {
            (status, body) = await Send(HttpMethod.Put, $"/digitaltwins/{source}/relationships/{target}?{V}", "admin", $$"""{"$relationshipName":"contains","$targetId":"{{target}}"}""");
            Assert.True(status == 200, $"{source} contains {target}: {status} {body}");
        }

        foreach (var (name, role, scope) in new[]
        {
            ("reader", "reader", (string?)null), ("operator", "operator", null), ("modeler", "modeler", null),
            ("operator-a", "operator", "farm-a"), ("reader-a", "reader", "farm-a"), ("admin-a", "admin", "farm-a"), ("revoked", "admin", null),
        })
        {
            _tokens[name] = await CreateTokenAsync(name, role, scope, null);
        }

        (status, body) = await Send(HttpMethod.Get, "/api/v1/auth/tokens", "admin");
        var revokedId = body!.AsArray().Single(t => (string?)t!["name"] == "revoked")!["id"]!.GetValue<string>();
        Assert.Equal(200, (await Send(HttpMethod.Delete, $"/api/v1/auth/tokens/{revokedId}", "admin")).Status);
        _tokens["expired"] = await CreateTokenAsync("expired", "admin", null, "00:00:01");

        _tokens["jwt-operator"] = _issuer.Token("alice", Audience, roles: ["operator"]);
        _tokens["jwt-reader-a"] = _issuer.Token("bob", Audience, roles: ["reader"], scopes: ["farm-a"]);
        _tokens["jwt-no-role"] = _issuer.Token("carol", Audience);
        _tokens["jwt-wrong-signature"] = _issuer.Token("mallory", Audience, roles: ["admin"], foreignKey: true);
        _tokens["jwt-expired"] = _issuer.Token("dave", Audience, roles: ["admin"], lifetime: TimeSpan.FromMinutes(-10));
        _tokens["jwt-wrong-audience"] = _issuer.Token("erin", "another-api", roles: ["admin"]);
        _tokens["jwt-wrong-issuer"] = _issuer.Token("frank", Audience, roles: ["admin"], issuer: "http://127.0.0.1:1/elsewhere");

        // The short-lived token is refused once its second is over (polled, not slept).
        await TelemetryTestKit.PollAsync(async () => (await Send(HttpMethod.Get, $"/digitaltwins/wt-a1?{V}", "expired")).Status == 401, ok => ok, ct);
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _issuer?.Dispose();
    }

    [Fact]
    public async Task A_browser_signs_in_at_the_issuer_with_the_roles_of_its_id_token_and_a_refusal_there_is_explained()
    {
        var ct = TestContext.Current.CancellationToken;
        var silo = new Uri($"https://127.0.0.1:{Silo.HttpsPort}");
        var cookies = new CookieContainer();
        using var browser = ApiSilo.CreateClient(silo, handler: h =>
        {
            h.AllowAutoRedirect = false;   // the hops go between https (the silo) and http (the issuer): followed here
            h.CookieContainer = cookies;
        });
        using var toIssuer = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        // The sign-in page offers the issuer next to the token form.
        var signIn = await browser.GetStringAsync("/signin?returnUrl=%2Falerts", ct);
        Assert.Contains("data-testid=\"signin-issuer\"", signIn, StringComparison.Ordinal);
        Assert.Contains("Sign in with Test IdP", signIn, StringComparison.Ordinal);

        // Silo → issuer (authorization code with PKCE) → silo's callback → the page asked for, with the cookie.
        _issuer!.BrowserUser = ("ops-alice", ["operator"], ["farm-a"]);
        var redeemed = _issuer.CodesRedeemed;
        using var challenge = await browser.GetAsync("/auth/oidc?returnUrl=%2Falerts", ct);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(_issuer.Authority + "/authorize?", authorize.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        using var issued = await toIssuer.GetAsync(authorize, ct);
        var callback = issued.Headers.Location!;
        Assert.StartsWith($"{silo}signin-oidc?code=", callback.ToString(), StringComparison.Ordinal);
        using var back = await browser.GetAsync(callback, ct);
        Assert.True(back.StatusCode == HttpStatusCode.Redirect, $"{back.StatusCode}: {await back.Content.ReadAsStringAsync(ct)}");
        Assert.Equal("/alerts", back.Headers.Location!.OriginalString);
        Assert.Equal(redeemed + 1, _issuer.CodesRedeemed);

        // The dashboard opens as that principal: its name and role from the ID token, its scope kept.
        using var page = await browser.GetAsync("/alerts", ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode} {page.Headers.Location}");
        Assert.Contains("jwt:ops-alice (operator of farm-a)", html, StringComparison.Ordinal);
        // The cookie never opens the API.
        using var api = await browser.GetAsync($"/digitaltwins/farm-a?{V}", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);

        // The issuer refuses (the user cancelled, or is not allowed): back to the sign-in page, which says so; no cookie.
        var refused = new CookieContainer();
        using var stranger = ApiSilo.CreateClient(silo, handler: h =>
        {
            h.AllowAutoRedirect = false;
            h.CookieContainer = refused;
        });
        _issuer.BrowserUser = null;
        using var second = await stranger.GetAsync("/auth/oidc?returnUrl=%2F", ct);
        using var denied = await toIssuer.GetAsync(second.Headers.Location!, ct);
        Assert.Contains("error=access_denied", denied.Headers.Location!.Query, StringComparison.Ordinal);
        using var failed = await stranger.GetAsync(denied.Headers.Location!, ct);
        Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        Assert.Equal("/signin?error=issuer", failed.Headers.Location!.OriginalString);
        var explained = await stranger.GetStringAsync("/signin?error=issuer", ct);
        Assert.Contains("did not complete", explained, StringComparison.Ordinal);
        using var stillOut = await stranger.GetAsync("/alerts", ct);
        Assert.Equal(HttpStatusCode.Redirect, stillOut.StatusCode);
        Assert.Contains("/signin", stillOut.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_refusal_of_the_http_matrix_holds_and_changes_nothing()
    {
        var before = await SnapshotAsync();
        var patchA = """[{"op":"replace","path":"/name","value":"changed"}]""";
        var bearing = $$$"""{"$metadata":{"$model":"{{{Bearing}}}"}}""";
        var newModel = """[{"@id":"dtmi:test:Denied;1","@type":"Interface","@context":"dtmi:dtdl:context;3"}]""";
        var cases = new List<(string Name, HttpMethod Method, string Path, string? Token, string? Body, int Expect, string Says)>
        {
            // Who: no sign-in, or one that does not hold.
            ("no token, read", HttpMethod.Get, $"/digitaltwins/wt-a1?{V}", null, null, 401, "no token was sent"),
            ("no token, write", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", null, patchA, 401, "no token was sent"),
            ("no token, own resources", HttpMethod.Get, "/api/v1/alerts", null, null, 401, "no token was sent"),
            ("no token, models", HttpMethod.Get, $"/models?{V}", null, null, 401, "no token was sent"),
            ("no token, an API path no endpoint serves", HttpMethod.Get, "/api/v1/no-such-resource", null, null, 401, "no token was sent"),
            ("no token, a query", HttpMethod.Post, $"/query?{V}", null, """{"query":"SELECT * FROM DIGITALTWINS"}""", 401, "no token was sent"),
            ("malformed API token", HttpMethod.Get, $"/digitaltwins/wt-a1?{V}", "raw:tct_zz", null, 401, "malformed"),
            ("API token with a wrong secret", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "raw:" + WrongSecret(_tokens["admin"]), patchA, 401, "not known"),
            ("revoked API token", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "revoked", patchA, 401, "was revoked"),
            ("expired API token", HttpMethod.Delete, $"/digitaltwins/wt-a1-b?{V}", "expired", null, 401, "expired"),
            ("Basic instead of Bearer", HttpMethod.Get, $"/digitaltwins/wt-a1?{V}", "basic:YWRtaW46YWRtaW4=", null, 401, "must be 'Bearer"),
            ("JWT with a wrong signature", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "jwt-wrong-signature", patchA, 401, "signature"),
            ("expired JWT", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "jwt-expired", patchA, 401, "expired"),
            ("JWT for another audience", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "jwt-wrong-audience", patchA, 401, "audience"),
            ("JWT of another issuer", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "jwt-wrong-issuer", patchA, 401, "issuer"),
            ("malformed JWT", HttpMethod.Get, $"/digitaltwins/wt-a1?{V}", "raw:eyJhbGciOi.not-a-jwt", null, 401, "malformed"),

            // What: each role against the writes it must not make.
            ("reader patches a twin", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "reader", patchA, 403, "may not write twin 'wt-a1'"),
            ("reader creates a twin", HttpMethod.Put, $"/digitaltwins/wt-new?{V}", "reader", bearing, 403, "may not write"),
            ("reader deletes a twin", HttpMethod.Delete, $"/digitaltwins/wt-a1-b?{V}", "reader", null, 403, "may not write"),
            ("reader adds a relationship", HttpMethod.Put, $"/digitaltwins/farm-a/relationships/x?{V}", "reader", """{"$relationshipName":"contains","$targetId":"wt-b1"}""", 403, "may not write"),
            ("reader removes a relationship", HttpMethod.Delete, $"/digitaltwins/farm-a/relationships/wt-a1?{V}", "reader", null, 403, "may not write"),
            ("reader publishes telemetry", HttpMethod.Post, $"/digitaltwins/wt-a1/telemetry?{V}", "reader", """{"power":1}""", 403, "may not write"),
            ("reader acknowledges an alert", HttpMethod.Post, "/api/v1/alerts/wt-a1-b/acknowledge", "reader", """{"note":"x"}""", 403, "may not acknowledge"),
            ("reader uploads a model", HttpMethod.Post, $"/models?{V}", "reader", newModel, 403, "manage models"),
            ("reader deletes a model", HttpMethod.Delete, $"/models/{Uri.EscapeDataString(Bearing)}?{V}", "reader", null, 403, "manage models"),
            ("reader starts an import", HttpMethod.Put, $"/jobs/imports/job-1?{V}", "reader", "{}", 403, "manage models"),
            ("reader lists tokens", HttpMethod.Get, "/api/v1/auth/tokens", "reader", null, 403, "administer"),
            ("operator uploads a model", HttpMethod.Post, $"/models?{V}", "operator", newModel, 403, "manage models"),
            ("operator decommissions a model", HttpMethod.Patch, $"/models/{Uri.EscapeDataString(Bearing)}?{V}", "operator", """[{"op":"replace","path":"/decommissioned","value":true}]""", 403, "manage models"),
            ("operator deletes a model", HttpMethod.Delete, $"/models/{Uri.EscapeDataString(Bearing)}?{V}", "operator", null, 403, "manage models"),
            ("operator starts an import", HttpMethod.Put, $"/jobs/imports/job-2?{V}", "operator", "{}", 403, "manage models"),
            ("operator creates a token", HttpMethod.Post, "/api/v1/auth/tokens", "operator", """{"role":"admin"}""", 403, "administer"),
            ("operator adds a device", HttpMethod.Post, "/api/v1/devices", "operator", """{"twin":"wt-a1-b"}""", 403, "administer"),
            ("operator reads the audit log", HttpMethod.Get, "/api/v1/audit", "operator", null, 403, "administer"),
            ("modeler patches a twin", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "modeler", patchA, 403, "may not write"),
            ("modeler acknowledges an alert", HttpMethod.Post, "/api/v1/alerts/wt-a1-b/acknowledge", "modeler", "{}", 403, "may not acknowledge"),
            ("modeler creates a token", HttpMethod.Post, "/api/v1/auth/tokens", "modeler", """{"role":"admin"}""", 403, "administer"),
            ("modeler revokes a device", HttpMethod.Delete, "/api/v1/devices/some-device", "modeler", null, 403, "administer"),
            ("JWT with no role reads a twin", HttpMethod.Get, $"/digitaltwins/wt-a1?{V}", "jwt-no-role", null, 403, "no role"),
            ("JWT reader patches a twin", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "jwt-reader-a", patchA, 403, "may not write"),

            // Where: principals scoped to farm-a, outside it.
            ("scoped operator reads farm-b's turbine", HttpMethod.Get, $"/digitaltwins/wt-b1?{V}", "operator-a", null, 403, "may not read twin 'wt-b1'"),
            ("scoped operator patches farm-b's turbine", HttpMethod.Patch, $"/digitaltwins/wt-b1?{V}", "operator-a", patchA, 403, "may not write twin 'wt-b1'"),
            ("scoped operator deletes farm-b's bearing", HttpMethod.Delete, $"/digitaltwins/wt-b1-b?{V}", "operator-a", null, 403, "may not write"),
            ("scoped operator creates a twin outside", HttpMethod.Put, $"/digitaltwins/wt-new?{V}", "operator-a", bearing, 403, "may not write"),
            ("scoped operator pulls farm-b's turbine into farm-a", HttpMethod.Put, $"/digitaltwins/farm-a/relationships/steal?{V}", "operator-a", """{"$relationshipName":"contains","$targetId":"wt-b1"}""", 403, "may not write twin 'wt-b1'"),
            ("scoped operator reads the farm above", HttpMethod.Get, "/api/v1/health/farm-b", "operator-a", null, 403, "may not read"),
            ("scoped operator acknowledges outside", HttpMethod.Post, "/api/v1/alerts/wt-b1-b/acknowledge", "operator-a", "{}", 403, "may not acknowledge"),
            ("scoped operator reads telemetry outside", HttpMethod.Get, "/api/v1/telemetry/wt-b1-b", "operator-a", null, 403, "may not read"),
            ("scoped operator lists all dead letters", HttpMethod.Get, "/api/v1/telemetry/deadletters", "operator-a", null, 403, "is scoped"),
            ("scoped operator reads the fleet's dead-letter counts", HttpMethod.Get, "/api/v1/telemetry/deadletters/counts", "operator-a", null, 403, "is scoped"),
            ("scoped operator lists another twin's dead letters", HttpMethod.Get, "/api/v1/telemetry/deadletters?twin=wt-b1-b", "operator-a", null, 403, "may not read"),
            ("scoped reader reads relationships outside", HttpMethod.Get, $"/digitaltwins/farm-b/relationships?{V}", "reader-a", null, 403, "may not read"),
            ("scoped JWT reader reads outside", HttpMethod.Get, $"/digitaltwins/wt-b1?{V}", "jwt-reader-a", null, 403, "may not read"),
            ("scoped admin lists tokens", HttpMethod.Get, "/api/v1/auth/tokens", "admin-a", null, 403, "fleet-wide"),
            ("scoped admin uploads a model", HttpMethod.Post, $"/models?{V}", "admin-a", newModel, 403, "fleet-wide"),
        };

        var denied = 0;
        var failures = new List<string>();
        foreach (var (name, method, path, token, body, expect, says) in cases)
        {
            var (status, answer) = await Send(method, path, token, body);
            var message = answer?["error"]?["message"]?.ToString() ?? answer?["detail"]?.ToString() ?? "";
            if (status == expect && message.Contains(says, StringComparison.Ordinal))
            {
                denied++;
            }
            else
            {
                failures.Add($"{name}: {method} {path} answered {status} (expected {expect} saying '{says}'): {answer?.ToJsonString()}");
            }
        }

        // Queries see only the principal's subtrees: the same query, admin against scoped.
        var all = await QueryIdsAsync("SELECT * FROM DIGITALTWINS", "admin");
        var scoped = await QueryIdsAsync("SELECT * FROM DIGITALTWINS", "operator-a");
        var joined = await QueryIdsAsync("SELECT T FROM DIGITALTWINS F JOIN T RELATED F.contains WHERE F.$dtId = 'farm-b'", "reader-a");
        var counted = await QueryAsync("SELECT COUNT() FROM DIGITALTWINS", "jwt-reader-a");
        var queryCases = new (string Name, bool Held)[]
        {
            ("scoped query over the fleet", all.Contains("wt-b1") && scoped.SetEquals(["farm-a", "wt-a1", "wt-a1-b"])),
            ("scoped JOIN into the other farm", joined.Count == 0),
            ("scoped COUNT", counted?["value"]?[0]?["COUNT"]?.GetValue<int>() == 3),
        };
        foreach (var (name, held) in queryCases)
        {
            if (held)
            {
                denied++;
            }
            else
            {
                failures.Add($"{name}: all={string.Join(",", all)} scoped={string.Join(",", scoped)} joined={string.Join(",", joined)} count={counted?.ToJsonString()}");
            }
        }

        var total = cases.Count + queryCases.Length;
        var line = $"{total} cases, {denied} denied";
        Console.WriteLine(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Assert.True(failures.Count == 0, line + "\n" + string.Join("\n", failures));
        Assert.True(total >= 40, line);

        // Nothing changed: twins (with their ETags), relationships, models, tokens and devices are as before.
        Assert.Equal(before, await SnapshotAsync());

        // The refused writes of signed-in principals are in the audit log as denied, each with who and what.
        var (_, audit) = await Send(HttpMethod.Get, "/api/v1/audit?limit=10000", "admin");
        var deniedEntries = audit!.AsArray().Where(e => (string?)e!["outcome"] == "denied").ToList();
        Assert.Contains(deniedEntries, e => (string?)e!["principal"] == "token:reader" && (string?)e["operation"] == "twin.patch" && (string?)e["twinId"] == "wt-a1");
        Assert.Contains(deniedEntries, e => (string?)e!["principal"] == "token:operator-a" && (string?)e["operation"] == "relationship.put");
        Assert.Contains(deniedEntries, e => (string?)e!["principal"] == "jwt:bob" && (string?)e["operation"] == "twin.patch");
        Assert.DoesNotContain(audit.AsArray(), e => (string?)e!["outcome"] == "ok" && ((string?)e["operation"])?.StartsWith("twin.", StringComparison.Ordinal) == true
            && (string?)e["principal"] != "token:embedded-admin");
    }

    [Fact]
    public async Task Each_role_does_what_it_is_for_and_the_audit_log_says_who()
    {
        var ct = TestContext.Current.CancellationToken;
        var problems = new List<string>();
        async Task Expect(string name, HttpMethod method, string path, string token, string? body, int expect, (string Name, string Value)? header = null)
        {
            var (status, answer) = await Send(method, path, token, body, header);
            if (status != expect)
            {
                problems.Add($"{name}: {status} (expected {expect}) {answer?.ToJsonString()}");
            }
        }

        await Expect("reader reads", HttpMethod.Get, $"/digitaltwins/wt-b1?{V}", "reader", null, 200);
        await Expect("reader queries", HttpMethod.Post, $"/query?{V}", "reader", """{"query":"SELECT * FROM DIGITALTWINS"}""", 200);
        await Expect("reader lists alerts", HttpMethod.Get, "/api/v1/alerts", "reader", null, 200);
        await Expect("operator patches", HttpMethod.Patch, $"/digitaltwins/wt-b1?{V}", "operator", """[{"op":"replace","path":"/name","value":"by operator"}]""", 204);
        await Expect("operator publishes telemetry", HttpMethod.Post, $"/digitaltwins/wt-b1/telemetry?{V}", "operator", """{"power":1200}""", 204, ("Message-Id", "1"));
        await Expect("scoped operator patches inside", HttpMethod.Patch, $"/digitaltwins/wt-a1?{V}", "operator-a", """[{"op":"replace","path":"/name","value":"by operator-a"}]""", 204);
        await Expect("scoped operator patches a bearing inside", HttpMethod.Patch, $"/digitaltwins/wt-a1-b?{V}", "operator-a", """[{"op":"add","path":"/vibrationSampleRateHz","value":25600}]""", 204);
        await Expect("scoped reader reads inside", HttpMethod.Get, "/api/v1/health/farm-a", "reader-a", null, 200);
        await Expect("JWT operator patches", HttpMethod.Patch, $"/digitaltwins/wt-b1?{V}", "jwt-operator", """[{"op":"replace","path":"/name","value":"by alice"}]""", 204);
        await Expect("JWT scoped reader reads inside", HttpMethod.Get, $"/digitaltwins/wt-a1-b?{V}", "jwt-reader-a", null, 200);
        await Expect("modeler uploads", HttpMethod.Post, $"/models?{V}", "modeler", """[{"@id":"dtmi:test:Allowed;1","@type":"Interface","@context":"dtmi:dtdl:context;3"}]""", 201);
        await Expect("modeler lists imports", HttpMethod.Get, $"/jobs/imports?{V}", "modeler", null, 200);
        await Expect("admin lists devices", HttpMethod.Get, "/api/v1/devices", "admin", null, 200);
        await Expect("admin adds a device", HttpMethod.Post, "/api/v1/devices", "admin", """{"twin":"wt-b1-b"}""", 201);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(_issuer!.KeyFetches >= 1, "the silo never fetched the issuer's keys");

        var (_, audit) = await Send(HttpMethod.Get, "/api/v1/audit?twin=wt-b1&limit=100", "admin");
        var entries = audit!.AsArray().Select(e => ((string?)e!["principal"], (string?)e["operation"], (string?)e["outcome"])).ToList();
        Assert.Contains(("token:operator", "twin.patch", "ok"), entries);
        Assert.Contains(("jwt:alice", "twin.patch", "ok"), entries);
        (_, audit) = await Send(HttpMethod.Get, "/api/v1/audit?by=token:modeler&limit=100", "admin");
        Assert.Contains(audit!.AsArray(), e => (string?)e!["operation"] == "model.upload" && (string?)e["outcome"] == "ok");
        (_, audit) = await Send(HttpMethod.Get, "/api/v1/audit?by=token:embedded-admin&limit=1000", "admin");
        Assert.Contains(audit!.AsArray(), e => ((string?)e!["operation"])?.StartsWith("device.", StringComparison.Ordinal) == true);
        _ = ct;
    }

    [Fact]
    public async Task Only_the_endpoints_that_allow_anonymous_callers_answer_without_a_sign_in()
    {
        var ct = TestContext.Current.CancellationToken;
        using var stranger = ApiSilo.CreateClient(new Uri($"https://127.0.0.1:{Silo.HttpsPort}"), handler: h => h.AllowAutoRedirect = false);

        // Public: the probes, the API's description and its reference page, the sign-in page.
        foreach (var path in new[] { "/healthz", "/readyz", "/openapi/v1.json", "/reference/", "/signin" })
        {
            using var open = await stranger.GetAsync(path, ct);
            Assert.True(open.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)open.StatusCode} without a sign-in");
        }

        // Everything else is refused: API paths, served or not, with the bearer challenge and nothing of the twin.
        foreach (var path in new[] { $"/digitaltwins/wt-a1?{V}", "/api/v1/health/farm-a", "/api/v1/nothing-here", $"/jobs/imports?{V}" })
        {
            using var refused = await stranger.GetAsync(path, ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{path} answered {(int)refused.StatusCode} without a sign-in");
            Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("$dtId", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // Pages, served or not, send the browser to sign in.
        foreach (var path in new[] { "/", "/alerts", "/no-such-page" })
        {
            using var page = await stranger.GetAsync(path, ct);
            Assert.True(page.StatusCode == HttpStatusCode.Redirect, $"{path} answered {(int)page.StatusCode} without a sign-in");
            Assert.StartsWith("/signin?returnUrl=", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_browser_signs_in_with_the_token_link_and_its_cookie_never_opens_the_api()
    {
        var ct = TestContext.Current.CancellationToken;
        var cookies = new CookieContainer();
        using var browser = ApiSilo.CreateClient(new Uri($"https://127.0.0.1:{Silo.HttpsPort}"), handler: h => { h.CookieContainer = cookies; h.AllowAutoRedirect = false; });

        using var anonymous = await browser.GetAsync("/", ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin?returnUrl=", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var bad = await browser.GetAsync($"/alerts?token={Uri.EscapeDataString(_tokens["revoked"])}", ct);
        Assert.Equal("/signin?error=revoked&returnUrl=%2Falerts", bad.Headers.Location!.OriginalString);
        Assert.Empty(cookies.GetAllCookies());

        using var signedIn = await browser.GetAsync($"/alerts?x=1&token={Uri.EscapeDataString(_tokens["reader"])}", ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/alerts?x=1", signedIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(cookies.GetAllCookies());
        Assert.True(cookie.HttpOnly && cookie.Secure, "the sign-in cookie must be HttpOnly and Secure");

        // The cookie signs pages in but not the API: no page elsewhere can make the browser call it.
        using var api = await browser.GetAsync($"/digitaltwins/wt-a1?{V}", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    private async Task<string> CreateTokenAsync(string name, string role, string? scope, string? expiresIn)
    {
        var body = new JsonObject { ["role"] = role, ["name"] = name, ["scope"] = scope, ["expiresIn"] = expiresIn };
        var (status, answer) = await Send(HttpMethod.Post, "/api/v1/auth/tokens", "admin", body.ToJsonString());
        Assert.True(status == 201, $"token {name}: {status} {answer}");
        return answer!["token"]!.GetValue<string>();
    }

    private async Task<(int Status, JsonNode? Body)> Send(HttpMethod method, string path, string? token, string? body = null, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (header is { } extra)
        {
            request.Headers.Add(extra.Name, extra.Value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token switch
            {
                _ when token.StartsWith("raw:", StringComparison.Ordinal) => "Bearer " + token[4..],
                _ when token.StartsWith("basic:", StringComparison.Ordinal) => "Basic " + token[6..],
                _ => "Bearer " + _tokens[token],
            });
        }

        using var response = await _http!.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonNode? parsed = null;
        if (text.Length > 0 && text.TrimStart() is ['{' or '[', ..])
        {
            parsed = JsonNode.Parse(text);
        }

        return ((int)response.StatusCode, parsed);
    }

    private async Task<JsonNode?> QueryAsync(string query, string token) =>
        (await Send(HttpMethod.Post, $"/query?{V}", token, new JsonObject { ["query"] = query }.ToJsonString())).Body;

    private async Task<HashSet<string>> QueryIdsAsync(string query, string token)
    {
        var answer = await QueryAsync(query, token);
        return [.. (answer?["value"]?.AsArray() ?? []).Select(row => (string?)(row!["$dtId"] ?? row["T"]?["$dtId"])).OfType<string>()];
    }

    /// <summary>Everything the matrix must leave alone, as JSON text: twins with ETags and relationships, models, tokens, devices.</summary>
    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var id in new[] { "farm-a", "wt-a1", "wt-a1-b", "farm-b", "wt-b1", "wt-b1-b" })
        {
            parts.Add((await Send(HttpMethod.Get, $"/digitaltwins/{id}?{V}", "admin")).Body!.ToJsonString());
            parts.Add((await Send(HttpMethod.Get, $"/digitaltwins/{id}/relationships?{V}", "admin")).Body!.ToJsonString());
        }

        parts.Add((await Send(HttpMethod.Get, $"/models?{V}", "admin")).Body!["value"]!.AsArray().Select(m => (string?)m!["id"]).Order().Aggregate("", (a, b) => a + "," + b));
        parts.Add((await Send(HttpMethod.Get, "/api/v1/auth/tokens", "admin")).Body!.ToJsonString());
        parts.Add((await Send(HttpMethod.Get, "/api/v1/devices", "admin")).Body!.ToJsonString());
        parts.Add((await Send(HttpMethod.Get, "/digitaltwins/wt-new?" + V, "admin")).Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join("\n", parts);
    }

    internal static string WrongSecret(string token) => token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");

    internal static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> FromAddress(IPAddress local) => async (context, ct) =>
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(local, 0));
        await socket.ConnectAsync(context.DnsEndPoint, ct);
        return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
    };
}

/// <summary>The limits of a real silo set low: failed sign-ins per source address, requests per principal.</summary>
public sealed class HttpRateLimitTests
{
    private const string V = "api-version=2023-10-31";

    [Fact]
    public async Task Failed_sign_ins_are_limited_per_source_and_requests_per_principal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var limited = SiloProcess.Start(null, "ratelimit", new Dictionary<string, string>
        {
            ["TwinCluster__Api__FailedSignInsPerMinute"] = "3",
            ["TwinCluster__Api__RequestsPerSecond"] = "5",
            ["TwinCluster__Api__RequestBurst"] = "5",
        });
        await limited.WaitReadyAsync(1, ct);
        var endpoint = new Uri($"https://127.0.0.1:{limited.HttpsPort}");

        // From 127.0.0.7: three wrong tokens, then even the right one waits out the minute.
        using var guesser = ApiSilo.CreateClient(endpoint, handler: h => h.ConnectCallback = HttpSecurityTests.FromAddress(IPAddress.Parse("127.0.0.7")));
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/digitaltwins/x?{V}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HttpSecurityTests.WrongSecret(limited.AdminToken));
            using var response = await guesser.SendAsync(request, ct);
            statuses.Add((int)response.StatusCode);
        }

        using (var right = new HttpRequestMessage(HttpMethod.Get, $"/digitaltwins/x?{V}"))
        {
            right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", limited.AdminToken);
            using var response = await guesser.SendAsync(right, ct);
            statuses.Add((int)response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {response.Headers.RetryAfter}");
        }

        Assert.Equal([401, 401, 401, 429, 429], statuses);

        // Another source is not blocked; one principal past its burst gets 429 with Retry-After, another is served.
        using var admin = ApiSilo.CreateClient(endpoint, limited.AdminToken);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            answers.Add(await admin.GetAsync("/api/v1/alerts", ct));
        }

        Assert.Equal(HttpStatusCode.OK, answers[0].StatusCode);
        var refused = answers.FirstOrDefault(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Contains("more than 5 requests per second", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        answers.ForEach(a => a.Dispose());

        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/tokens");
        create.Content = new StringContent("""{"role":"reader","name":"other"}""", Encoding.UTF8, "application/json");
        string other;
        using (var admin2 = ApiSilo.CreateClient(endpoint, limited.AdminToken))
        {
            // The admin's bucket refills at 5 per second: poll until it serves the create.
            HttpResponseMessage? made = null;
            await TelemetryTestKit.PollAsync(async () =>
            {
                made?.Dispose();
                using var again = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/tokens") { Content = new StringContent("""{"role":"reader","name":"other"}""", Encoding.UTF8, "application/json") };
                made = await admin2.SendAsync(again, ct);
                return made.StatusCode == HttpStatusCode.Created;
            }, ok => ok, ct);
            other = JsonNode.Parse(await made!.Content.ReadAsStringAsync(ct))!["token"]!.GetValue<string>();
            made.Dispose();
        }

        using var reader = ApiSilo.CreateClient(endpoint, other);
        using var served = await reader.GetAsync("/api/v1/alerts", ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

}
