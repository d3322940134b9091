namespace TwinCluster.Grains.Security;

/// <summary>
/// Sign-in with JWT bearer tokens from an OpenID Connect issuer (Keycloak, Entra ID, …), section
/// <c>TwinCluster:Auth:Jwt</c>. Off while <see cref="Authority"/> is empty. Checked at start-up (see
/// <see cref="JwtOptionsValidator"/>); the HTTP API wires it into ASP.NET Core's JWT bearer handler.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "TwinCluster:Auth:Jwt";

    /// <summary>The issuer's URL (its <c>/.well-known/openid-configuration</c> and keys are read from there).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the tokens must carry (the API's client id or URI).</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// The claim holding role names (<c>reader</c>, <c>operator</c>, <c>modeler</c>, <c>admin</c>); a dotted path
    /// reads into a JSON claim, e.g. Keycloak's <c>realm_access.roles</c>. Default <c>roles</c> (Entra ID).
    /// </summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>The claim holding scope twin ids (each: that twin and its subtree); absent means the whole fleet.</summary>
    public string ScopeClaim { get; set; } = "twin_scope";

    /// <summary>The claim naming the principal in the audit log (default <c>preferred_username</c>, then <c>sub</c>).</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Refuse an authority over plain HTTP (default true; false only for a local test issuer).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The dashboard's client id at the issuer: when set, browsers can sign in there (OpenID Connect authorization
    /// code flow with PKCE, callback <c>/signin-oidc</c>); the ID token's claims are read as a JWT's are.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The dashboard client's secret, for an issuer that gives it one (a public client with PKCE needs none).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The name the sign-in page shows for the issuer (default: its host).</summary>
    public string? DisplayName { get; set; }

    /// <summary>True when JWT sign-in is configured.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>True when browsers may sign in at the issuer (<see cref="ClientId"/> set too).</summary>
    public bool IsBrowserSignInEnabled => IsEnabled && !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>What the sign-in page calls the issuer.</summary>
    public string IssuerName => DisplayName is { Length: > 0 } name ? name
        : Uri.TryCreate(Authority, UriKind.Absolute, out var uri) ? uri.Authority : Authority ?? "";

    /// <summary>What is wrong with the settings, each naming its key; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!IsEnabled)
        {
            if (!string.IsNullOrWhiteSpace(ClientId))
            {
                problems.Add($"{Section}:ClientId needs {Section}:Authority (the issuer browsers sign in at)");
            }

            return problems;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            problems.Add($"{Section}:Authority '{Authority}' must be an absolute http(s) URL");
        }
        else if (RequireHttpsMetadata && authority.Scheme != "https")
        {
            problems.Add($"{Section}:Authority '{Authority}' must use https (or set {Section}:RequireHttpsMetadata=false for a local test issuer)");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            problems.Add($"{Section}:Audience must be set when {Section}:Authority is");
        }

        foreach (var (key, value) in new[] { ("RolesClaim", RolesClaim), ("ScopeClaim", ScopeClaim), ("NameClaim", NameClaim) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{Section}:{key} must not be empty");
            }
        }

        return problems;
    }
}

/// <summary>Fails start-up with every problem of <see cref="JwtOptions"/>, each naming its setting.</summary>
public sealed class JwtOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<JwtOptions>
{
    /// <inheritdoc />
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}
