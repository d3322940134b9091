using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.IdentityModel.Tokens;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;

namespace TwinCluster.Silo.Api.Auth;

/// <summary>
/// Who may reach the HTTPS port. Every request needs a principal, loopback included (a page in the user's browser can
/// reach localhost): API paths take <c>Authorization: Bearer</c> with a TwinCluster API token or, when
/// <c>TwinCluster:Auth:Jwt</c> is configured, a JWT from that issuer; browser paths (the dashboard) take the cookie
/// that a sign-in with a token sets. What a principal may then do is decided per endpoint by
/// <see cref="TwinAccessFilter"/>. Failed sign-ins are limited per source address, requests per principal.
/// </summary>
public static class ApiAuthentication
{
    /// <summary>The default scheme: picks one of the others by what the request carries.</summary>
    public const string Scheme = "TwinCluster";

    /// <summary>TwinCluster's own API tokens.</summary>
    public const string ApiTokenScheme = "TwinCluster.ApiToken";

    /// <summary>JWT bearer tokens of the configured OpenID Connect issuer.</summary>
    public const string JwtScheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>The browser's sign-in cookie (the dashboard).</summary>
    public const string CookieScheme = "TwinCluster.Cookie";

    /// <summary>Browser sign-in at the configured OpenID Connect issuer (when it has a client id), ending in the cookie.</summary>
    public const string OidcScheme = "TwinCluster.Oidc";

    /// <summary>Where the browser starts a sign-in at the issuer (<c>?returnUrl=</c> a local path).</summary>
    public const string OidcSignInPath = "/auth/oidc";

    /// <summary>The policy of what only an unscoped admin may reach (the Orleans dashboard).</summary>
    public const string AdminPolicy = "TwinCluster.Admin";

    /// <summary>Where the cookie keeps the token it was made from, so a revoked token signs the browser out.</summary>
    private const string TokenProperty = "tc.token";

    /// <summary>Marks a cookie made by a sign-in at the issuer (it holds no API token; it ends with the ID token).</summary>
    private const string IssuerProperty = "tc.issuer";

    /// <summary>Registers the schemes, the policies and the rate limiter.</summary>
    public static WebApplicationBuilder AddTwinAuthentication(this WebApplicationBuilder builder, ApiOptions options)
    {
        var jwt = builder.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        builder.Services.AddSingleton<SignInThrottle>();
        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "TwinCluster", o => o.ForwardDefaultSelector = context => Select(context, jwt.IsEnabled))
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenScheme, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "TwinCluster.Auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.LoginPath = "/signin";
                o.LogoutPath = "/auth/signout";
                o.ReturnUrlParameter = "returnUrl";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = RevalidateCookie;
            });
        if (jwt.IsEnabled)
        {
            authentication.AddJwtBearer(JwtScheme, o =>
            {
                o.Authority = jwt.Authority;
                o.Audience = jwt.Audience;
                o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.ValidAudience = jwt.Audience;
                o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        var principal = ClaimsPrincipals.FromClaims(context.Principal!.Claims, jwt);
                        context.Principal = ApiPrincipal.ToClaims(principal, JwtScheme);
                        return Task.CompletedTask;
                    },
                    OnAuthenticationFailed = context =>
                    {
                        context.HttpContext.Items[ApiTokenAuthenticationHandler.ReasonItem] = JwtReason(context.Exception);
                        context.HttpContext.RequestServices.GetRequiredService<SignInThrottle>().Failed(context.HttpContext.Connection.RemoteIpAddress);
                        return Task.CompletedTask;
                    },
                    OnChallenge = context =>
                    {
                        context.HandleResponse();
                        var reason = context.HttpContext.Items[ApiTokenAuthenticationHandler.ReasonItem] as string ?? "no token was sent";
                        return ApiAuthResponses.Unauthorized(context.HttpContext, reason);
                    },
                    OnForbidden = context => ApiAuthResponses.Forbidden(context.HttpContext, "the principal may not do this"),
                };
            });
        }

        if (jwt.IsBrowserSignInEnabled)
        {
            authentication.AddOpenIdConnect(OidcScheme, jwt.IssuerName, o => ConfigureBrowserSignIn(o, jwt));
        }

        // No fallback policy: RequireSignedIn below does what one requiring an authenticated user would, without
        // evaluating a policy on every request (measured: a sixth of the silo's CPU per HTTPS read).
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireAssertion(c => ApiPrincipal.Of(c.User) is { IsUnscoped: true } admin && admin.Roles.Contains(SecurityRole.Admin)));
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.Identity is { IsAuthenticated: true, Name: { } name } && options.RequestsPerSecond > 0
                    ? RateLimitPartition.GetTokenBucketLimiter(name, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.RequestBurst,
                        TokensPerPeriod = Math.Max(1, options.RequestsPerSecond / 10),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, options.RequestsPerSecond / 10) / (double)options.RequestsPerSecond),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("unlimited"));
            o.OnRejected = (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                return new ValueTask(ApiAuthResponses.TooManyRequests(context.HttpContext, retry,
                    $"{context.HttpContext.User.Identity?.Name} made more than {options.RequestsPerSecond} requests per second (burst {options.RequestBurst}); retry later"));
            };
        });
        return builder;
    }

    /// <summary>
    /// The middleware, in order: a source past its failed sign-ins is refused before anything is checked; then
    /// sign-in; a browser link with <c>?token=</c> turns into the cookie; then authorization and the rate limit.
    /// </summary>
    public static WebApplication UseTwinAuthentication(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<ApiOptions>();
        if (options.Authentication == ApiAuthenticationMode.Off)
        {
            app.Logger.LogWarning("{Setting}=Off: the HTTP API signs nobody in and everyone acts as admin. Only for benchmarks on loopback.", $"{ApiOptions.Section}:Authentication");
            var anyone = ApiPrincipal.ToClaims(new Principal("anonymous (authentication off)", [SecurityRole.Admin], [], "none"), "none");
            app.Use((context, next) =>
            {
                context.User = anyone;
                return next(context);
            });
            app.UseAuthorization();
            UseRequestLimit(app, options);
            return app;
        }

        app.Use(async (context, next) =>
        {
            var carriesCredentials = context.Request.Headers.Authorization.Count > 0 || context.Request.Query.ContainsKey("token")
                || HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/auth/signin");
            if (carriesCredentials && context.RequestServices.GetRequiredService<SignInThrottle>().IsBlocked(context.Connection.RemoteIpAddress, out var retry))
            {
                await ApiAuthResponses.TooManyRequests(context, retry, "too many failed sign-ins from this address; retry later");
                return;
            }

            await next(context);
        });
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Query.TryGetValue("token", out var token)
                && !ApiAuthResponses.IsApiPath(context.Request.Path))
            {
                var target = context.Request.Path + QueryString.Create(context.Request.Query.Where(q => q.Key != "token"));
                await SignInBrowser(context, token.ToString(), target);
                return;
            }

            await next(context);
        });
        RequireSignedIn(app);
        app.UseAuthorization();
        UseRequestLimit(app, options);
        app.MapPost("/auth/signin", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            await SignInBrowser(context, form["token"].ToString(), form["returnUrl"].ToString());
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        if ((app.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions()).IsBrowserSignInEnabled)
        {
            app.MapGet(OidcSignInPath, (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = LocalPath(returnUrl) }, [OidcScheme]))
                .AllowAnonymous().ExcludeFromDescription();
        }

        app.MapGet("/auth/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieScheme);
            context.Response.Redirect("/signin");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Every request needs a signed-in principal unless its endpoint allows anonymous callers (health probes, the
    /// sign-in page, the API description); a path with no endpoint too, so an unknown path tells a stranger nothing.
    /// Otherwise the challenge of the scheme the request chose: a 401 naming what is wrong with the token on API paths,
    /// the sign-in page for a browser. Endpoints with a policy of their own (the Orleans dashboard) are checked after
    /// this by the authorization middleware.
    /// </summary>
    private static void RequireSignedIn(WebApplication app) =>
        app.Use((context, next) =>
            context.User.Identity?.IsAuthenticated == true || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
                ? next(context)
                : context.ChallengeAsync());

    /// <summary>The per-principal limit, when one is set (0 switches it off: then no request passes the limiter at all).</summary>
    private static void UseRequestLimit(WebApplication app, ApiOptions options)
    {
        if (options.RequestsPerSecond > 0)
        {
            app.UseRateLimiter();
        }
    }

    private static string Select(HttpContext context, bool jwtEnabled)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            // The API token handler also answers anything that is not a bearer token, naming what is wrong with it.
            var isJwt = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && !header.AsSpan(7).TrimStart().StartsWith(ApiTokenFormat.Prefix, StringComparison.Ordinal);
            return isJwt && jwtEnabled ? JwtScheme : ApiTokenScheme;
        }

        // The cookie never opens the API: a page elsewhere cannot make the browser call it with the user's rights.
        return ApiAuthResponses.IsApiPath(context.Request.Path) ? ApiTokenScheme : CookieScheme;
    }

    // Only a local path: never send the browser to another site after sign-in.
    private static string LocalPath(string? returnUrl) =>
        returnUrl is { } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal) ? r : "/";

    /// <summary>
    /// The authorization code flow with PKCE at the issuer; its ID token's claims become the principal as a JWT's do
    /// (<see cref="ClaimsPrincipals.FromClaims"/>), kept in the browser cookie until the ID token expires.
    /// </summary>
    private static void ConfigureBrowserSignIn(OpenIdConnectOptions o, JwtOptions jwt)
    {
        o.Authority = jwt.Authority;
        o.ClientId = jwt.ClientId;
        o.ClientSecret = string.IsNullOrWhiteSpace(jwt.ClientSecret) ? null : jwt.ClientSecret;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        o.ResponseType = "code";
        o.ResponseMode = "query";
        o.UsePkce = true;
        o.SignInScheme = CookieScheme;
        o.CallbackPath = "/signin-oidc";
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
        o.Events = new OpenIdConnectEvents
        {
            OnTokenValidated = context =>
            {
                var principal = ClaimsPrincipals.FromClaims(context.Principal!.Claims, jwt);
                context.Principal = ApiPrincipal.ToClaims(principal, CookieScheme);
                var properties = context.Properties!;
                properties.Items[IssuerProperty] = jwt.IssuerName;
                properties.IsPersistent = false;
                properties.AllowRefresh = false;
                properties.ExpiresUtc = context.SecurityToken.ValidTo is var end && end > DateTime.UtcNow ? new DateTimeOffset(end, TimeSpan.Zero) : null;
                return Task.CompletedTask;
            },
            OnRemoteFailure = context =>
            {
                // A refused or abandoned sign-in at the issuer: back to the sign-in page, saying so.
                context.HandleResponse();
                context.HttpContext.RequestServices.GetRequiredService<SignInThrottle>().Failed(context.HttpContext.Connection.RemoteIpAddress);
                context.Response.Redirect("/signin?error=issuer");
                return Task.CompletedTask;
            },
        };
    }

    private static async Task SignInBrowser(HttpContext context, string token, string returnUrl)
    {
        var local = LocalPath(returnUrl);
        var validation = await context.RequestServices.GetRequiredService<ApiTokenService>().ValidateAsync(token.Trim());
        if (validation.Status != TokenStatus.Valid)
        {
            context.RequestServices.GetRequiredService<SignInThrottle>().Failed(context.Connection.RemoteIpAddress);
            var why = validation.Status switch
            {
                TokenStatus.Revoked => "revoked",
                TokenStatus.Expired => "expired",
                TokenStatus.Malformed => "malformed",
                _ => "unknown",
            };
            context.Response.Redirect($"/signin?error={why}&returnUrl={Uri.EscapeDataString(local)}");
            return;
        }

        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.Items[TokenProperty] = token.Trim();
        await context.SignInAsync(CookieScheme, ApiPrincipal.ToClaims(validation.Principal!, CookieScheme, validation.Info!.Id), properties);
        context.Response.Redirect(local);
    }

    private static async Task RevalidateCookie(CookieValidatePrincipalContext context)
    {
        if (context.Properties.Items.ContainsKey(IssuerProperty))
        {
            // Signed in at the issuer: valid until the ID token's expiry (the cookie's own), no API token to check.
            return;
        }

        var token = context.Properties.Items.TryGetValue(TokenProperty, out var t) ? t : null;
        var validation = await context.HttpContext.RequestServices.GetRequiredService<ApiTokenService>().ValidateAsync(token);
        if (validation.Status != TokenStatus.Valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    private static string JwtReason(Exception exception) => exception switch
    {
        SecurityTokenExpiredException expired => $"the JWT expired at {expired.Expires:O}",
        SecurityTokenNotYetValidException early => $"the JWT is not valid before {early.NotBefore:O}",
        SecurityTokenInvalidAudienceException audience => $"the JWT's audience '{audience.InvalidAudience}' is not this API's",
        SecurityTokenInvalidIssuerException issuer => $"the JWT's issuer '{issuer.InvalidIssuer}' is not the configured authority",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the JWT's signature does not verify with the issuer's keys",
        SecurityTokenMalformedException => "the JWT is malformed",
        _ => $"the JWT was refused ({exception.GetType().Name})",
    };
}
