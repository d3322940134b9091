using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;

namespace TwinCluster.Silo.Api;

/// <summary>
/// TEMPORARY stand-in for the browser sign-in that the security work builds in TwinCluster.Silo.Api.Auth (cookie
/// scheme "TwinCluster.Cookie", <c>?token=</c> on any non-API path, POST /auth/signin, GET /auth/signout). Deleted when
/// that lands; the dashboard then resolves principals with ApiPrincipal.Of.
/// </summary>
internal static class DashboardSignInStandIn
{
    public const string Scheme = "TwinCluster.Cookie";
    private const string RoleClaim = "tc:role";
    private const string ScopeClaim = "tc:scope";
    private const string TypeClaim = "tc:auth";

    public static Principal? ToPrincipal(ClaimsPrincipal user)
    {
        var name = user.Identity?.Name;
        if (name is null)
        {
            return null;
        }

        var roles = user.FindAll(RoleClaim).Select(c => Enum.Parse<SecurityRole>(c.Value)).ToImmutableArray();
        var scopes = user.FindAll(ScopeClaim).Select(c => c.Value).ToImmutableArray();
        return new Principal(name, roles, scopes, user.FindFirst(TypeClaim)?.Value ?? "api-token");
    }

    public static void AddDashboardSignInStandIn(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.LoginPath = "/signin";
            o.ReturnUrlParameter = "returnUrl";
            o.Cookie.Name = "TwinCluster.Auth";
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        builder.Services.AddAuthorization();
    }

    public static void UseDashboardSignInStandIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.IsHttps && context.Request.Query.TryGetValue("token", out var token)
                && !path.StartsWithSegments(ApiHostingExtensions.OwnPrefix))
            {
                var query = QueryString.Create(context.Request.Query.Where(q => q.Key != "token").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
                if (await SignIn(context, token.ToString()))
                {
                    context.Response.Redirect(path + query.ToUriComponent());
                }
                else
                {
                    context.Response.Redirect("/signin?error=" + Uri.EscapeDataString("that token is not valid") + "&returnUrl=" + Uri.EscapeDataString(path + query.ToUriComponent()));
                }

                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        app.MapPost("/auth/signin", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            if (!returnUrl.StartsWith('/') || returnUrl.StartsWith("//", StringComparison.Ordinal) || returnUrl.StartsWith("/\\", StringComparison.Ordinal))
            {
                returnUrl = "/";
            }

            return await SignIn(context, form["token"].ToString())
                ? Results.Redirect(returnUrl)
                : Results.Redirect("/signin?error=" + Uri.EscapeDataString("that token is not valid") + "&returnUrl=" + Uri.EscapeDataString(returnUrl));
        }).DisableAntiforgery();
        app.MapGet("/auth/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(Scheme);
            return Results.Redirect("/signin");
        });
    }

    private static async Task<bool> SignIn(HttpContext context, string token)
    {
        var validation = await context.RequestServices.GetRequiredService<ApiTokenService>().ValidateAsync(token);
        if (validation.Principal is not { } principal)
        {
            return false;
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, principal.Name), new(TypeClaim, principal.AuthenticationType) };
        claims.AddRange(principal.Roles.Select(r => new Claim(RoleClaim, r.ToString())));
        claims.AddRange(principal.Scopes.Select(s => new Claim(ScopeClaim, s)));
        await context.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme)));
        return true;
    }
}
