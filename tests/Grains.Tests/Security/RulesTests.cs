using System.Security.Claims;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;

namespace TwinCluster.Grains.Tests.Security;

public sealed class RulesTests
{
    [Theory]
    [InlineData(SecurityRole.Reader, "Read")]
    [InlineData(SecurityRole.Operator, "Read,Write,Acknowledge")]
    [InlineData(SecurityRole.Modeler, "Read,Model")]
    [InlineData(SecurityRole.Admin, "Read,Write,Acknowledge,Model,Admin")]
    public void Each_role_allows_exactly_its_operations(SecurityRole role, string allowed)
    {
        var expected = allowed.Split(',').Select(Enum.Parse<SecurityOperation>).ToHashSet();
        foreach (var operation in Enum.GetValues<SecurityOperation>())
        {
            Assert.True(expected.Contains(operation) == SecurityRules.Allows(role, operation), $"{role} {operation}");
        }
    }

    [Fact]
    public void A_principal_without_roles_is_allowed_nothing()
    {
        var nobody = new Principal("x", [], [], "jwt");
        Assert.All(Enum.GetValues<SecurityOperation>(), o => Assert.False(SecurityRules.Allows(nobody, o)));
    }

    [Fact]
    public void A_scope_covers_the_twin_and_everything_below_it()
    {
        var p = new Principal("op", [SecurityRole.Operator], ["wt-01"], "api-token");
        Assert.True(SecurityRules.InScope(p, ["farm-1", "wt-01"]));
        Assert.True(SecurityRules.InScope(p, ["farm-1", "wt-01", "wt-01-gen", "wt-01-gen-de"]));
        Assert.False(SecurityRules.InScope(p, ["farm-1"]));
        Assert.False(SecurityRules.InScope(p, ["farm-1", "wt-02", "wt-02-gen"]));
        Assert.True(SecurityRules.InScope(p with { Scopes = [] }, ["anything"]));
    }

    [Theory]
    [InlineData("twins/wt-01/telemetry", true)]
    [InlineData("twins/wt-01-mb/properties", true)]
    [InlineData("twins/wt-02/telemetry", false)]
    [InlineData("twins/wt-01", false)]
    [InlineData("twins//telemetry", false)]
    [InlineData("twins/+/telemetry", false)]
    [InlineData("plant/wt-01/telemetry", false)]
    [InlineData("twins/wt-01/replies/c-1", true)]
    [InlineData("twins/wt-01/replies/c-1/200", true)]
    [InlineData("twins/wt-01/replies", false)]
    [InlineData("twins/wt-01/replies/", false)]
    [InlineData("twins/wt-01/commands/stop/c-1", false)]
    [InlineData("twins/wt-01/commands", false)]
    [InlineData("twins/wt-01-mb/desired/document", false)]
    [InlineData("twins/wt-01/telemetry/extra", false)]
    [InlineData("twins/wt-01/other", false)]
    public void Devices_publish_telemetry_properties_and_replies_of_their_own_twins_only_never_requests(string topic, bool allowed)
    {
        Assert.Equal(allowed, DeviceTopics.MayPublish(["wt-01", "wt-01-mb"], topic));
    }

    [Theory]
    [InlineData("twins/wt-01/commands/#", true)]
    [InlineData("twins/wt-01/commands/reboot", true)]
    [InlineData("twins/wt-01/desired/#", true)]
    [InlineData("twins/wt-01/commands", true)]
    [InlineData("twins/wt-02/commands/#", false)]
    [InlineData("twins/+/commands/#", false)]
    [InlineData("twins/#", false)]
    [InlineData("twins/wt-01/#", false)]
    [InlineData("twins/wt-01/telemetry", false)]
    [InlineData("$share/g/twins/wt-01/commands/#", false)]
    [InlineData("#", false)]
    [InlineData("twins/wt-01/replies/#", false)]
    [InlineData("twins/wt-01/properties", false)]
    public void Devices_subscribe_to_their_own_commands_and_desired_properties_only(string filter, bool allowed)
    {
        Assert.Equal(allowed, DeviceTopics.MaySubscribe(["wt-01"], filter));
    }

    [Fact]
    public void A_refused_request_direction_publish_says_where_a_device_answers()
    {
        Assert.Contains("only on telemetry, properties and replies/", DeviceTopics.PublishRefusal(["wt-01"], "twins/wt-01/commands/stop/c-1"), StringComparison.Ordinal);
        Assert.Equal("may publish only for wt-01", DeviceTopics.PublishRefusal(["wt-01"], "twins/wt-02/telemetry"));
    }

    [Fact]
    public void Jwt_claims_give_known_roles_valid_scopes_and_a_name_also_from_a_keycloak_style_json_claim()
    {
        var entra = ClaimsPrincipals.FromClaims(
            [new("sub", "42"), new("preferred_username", "alice"), new("roles", "operator"), new("roles", "owner"), new("twin_scope", "wt-01"), new("twin_scope", "bad id!")],
            new JwtOptions());
        Assert.Equal("jwt:alice", entra.Name);
        Assert.Equal([SecurityRole.Operator], entra.Roles);
        Assert.Equal(["wt-01"], entra.Scopes);

        var keycloak = ClaimsPrincipals.FromClaims(
            [new Claim("sub", "7"), new Claim("realm_access", """{"roles":["reader","modeler","offline_access"]}""")],
            new JwtOptions { RolesClaim = "realm_access.roles" });
        Assert.Equal("jwt:7", keycloak.Name);
        Assert.Equal([SecurityRole.Reader, SecurityRole.Modeler], keycloak.Roles);
        Assert.True(keycloak.IsUnscoped);
        Assert.Empty(ClaimsPrincipals.FromClaims([new Claim("roles", "4")], new JwtOptions()).Roles);
    }

    [Fact]
    public void Jwt_settings_name_each_problem()
    {
        Assert.Empty(new JwtOptions().Problems());
        Assert.Empty(new JwtOptions { Authority = "https://login.example/realms/plant", Audience = "twincluster" }.Problems());
        var problems = new JwtOptions { Authority = "http://idp.local", Audience = " ", RolesClaim = "" }.Problems();
        Assert.Contains(problems, p => p.Contains("TwinCluster:Auth:Jwt:Authority", StringComparison.Ordinal) && p.Contains("https", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("TwinCluster:Auth:Jwt:Audience", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("TwinCluster:Auth:Jwt:RolesClaim", StringComparison.Ordinal));
        Assert.Empty(new JwtOptions { Authority = "http://127.0.0.1:5000", Audience = "a", RequireHttpsMetadata = false }.Problems());
        Assert.Single(new JwtOptions { Authority = "not a url", Audience = "a" }.Problems());

        // Browser sign-in: a client id needs the issuer; the page names the issuer by its host unless told.
        Assert.Contains(new JwtOptions { ClientId = "dashboard" }.Problems(), p => p.Contains("TwinCluster:Auth:Jwt:ClientId needs TwinCluster:Auth:Jwt:Authority", StringComparison.Ordinal));
        var browser = new JwtOptions { Authority = "https://login.example:8443/realms/plant", Audience = "a", ClientId = "dashboard" };
        Assert.Empty(browser.Problems());
        Assert.True(browser.IsBrowserSignInEnabled);
        Assert.Equal("login.example:8443", browser.IssuerName);
        Assert.Equal("Plant IdP", new JwtOptions { Authority = "https://login.example", DisplayName = "Plant IdP" }.IssuerName);
        Assert.False(new JwtOptions { Authority = "https://login.example", Audience = "a" }.IsBrowserSignInEnabled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer tct_0123456789ab_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")]
    [InlineData("tct_0123456789AB_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")]
    [InlineData("tct_0123456789a_babcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")]
    [InlineData("tct_0123456789ab_short")]
    [InlineData("tct_0123456789ab_abcdefghijklmnopqrstuvwxyz0123456789ABCDEF!")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU")]
    public void Malformed_api_tokens_do_not_parse(string? token)
    {
        Assert.False(ApiTokenFormat.TryParse(token, out _));
    }

    [Fact]
    public void New_api_tokens_parse_to_their_id_and_match_only_their_own_hash()
    {
        var (token, id) = ApiTokenFormat.New();
        var (other, _) = ApiTokenFormat.New();
        Assert.True(ApiTokenFormat.TryParse(token, out var parsed));
        Assert.Equal(id, parsed);
        Assert.True(ApiTokenFormat.Matches(token, ApiTokenFormat.Sha256(token)));
        Assert.False(ApiTokenFormat.Matches(other, ApiTokenFormat.Sha256(token)));
        Assert.Equal(64, ApiTokenFormat.Sha256(token).Length);
    }
}
