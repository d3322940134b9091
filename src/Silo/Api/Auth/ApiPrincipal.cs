using System.Collections.Immutable;
using System.Security.Claims;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Silo.Api.Auth;

/// <summary>
/// The one translation between ASP.NET Core's <see cref="ClaimsPrincipal"/> and TwinCluster's <see cref="Principal"/>:
/// every sign-in (API token, JWT, the dashboard's cookie) ends as claims written by <see cref="ToClaims"/>, and every
/// endpoint and page reads them back with <see cref="Of(ClaimsPrincipal)"/>.
/// </summary>
public static class ApiPrincipal
{
    /// <summary>The claim holding a scope twin id (one claim per scope; none for the whole fleet).</summary>
    public const string ScopeClaim = "tc_scope";

    /// <summary>The claim saying how the principal signed in (<c>api-token</c>, <c>jwt</c>).</summary>
    public const string AuthenticationClaim = "tc_auth";

    /// <summary>The claim holding an API token's id, so a revocation reaches a browser signed in with it.</summary>
    public const string TokenIdClaim = "tc_token";

    /// <summary>The claims identity of <paramref name="principal"/> for <paramref name="scheme"/>.</summary>
    public static ClaimsPrincipal ToClaims(Principal principal, string scheme, string? tokenId = null)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, principal.Name),
            new(AuthenticationClaim, principal.AuthenticationType),
        };
        claims.AddRange((principal.Roles.IsDefault ? [] : principal.Roles).Select(r => new Claim(ClaimTypes.Role, RoleName(r))));
        claims.AddRange((principal.Scopes.IsDefault ? [] : principal.Scopes).Select(s => new Claim(ScopeClaim, s)));
        if (tokenId is not null)
        {
            claims.Add(new Claim(TokenIdClaim, tokenId));
        }

        return new ClaimsPrincipal(new TwinIdentity(principal, claims, scheme));
    }

    /// <summary>The principal the claims describe; null when nobody is signed in.</summary>
    public static Principal? Of(ClaimsPrincipal? user)
    {
        if (user?.Identity is TwinIdentity { Principal: var made, IsAuthenticated: true } && user.Identities.Count() == 1)
        {
            // Made by ToClaims in this request (a token or a JWT sign-in): the principal the claims were written from.
            return made;
        }

        if (user?.Identity is not { IsAuthenticated: true } || user.FindFirst(AuthenticationClaim) is not { } how)
        {
            return null;
        }

        var roles = user.FindAll(ClaimTypes.Role)
            .Select(c => Enum.TryParse<SecurityRole>(c.Value, ignoreCase: true, out var role) && Enum.IsDefined(role) ? role : (SecurityRole?)null)
            .OfType<SecurityRole>().Distinct().ToImmutableArray();
        var scopes = user.FindAll(ScopeClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return new Principal(user.Identity.Name ?? "unknown", roles, scopes, how.Value);
    }

    /// <summary>The principal of the request; throws when the endpoint was reached without one (a wiring bug).</summary>
    public static Principal Of(HttpContext context) =>
        Of(context.User) ?? throw new InvalidOperationException($"{context.Request.Path} was reached without a signed-in principal");

    /// <summary>The lower-case name of a role as tokens, claims and the CLI spell it.</summary>
    public static string RoleName(SecurityRole role) => role.ToString().ToLowerInvariant();

    /// <summary>
    /// The identity <see cref="ToClaims"/> writes, keeping the principal it was written from, so reading it back in the
    /// same request costs no claim parsing. An identity read back from the cookie is a plain one and is parsed.
    /// </summary>
    private sealed class TwinIdentity(Principal principal, IEnumerable<Claim> claims, string scheme)
        : ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role)
    {
        public Principal Principal { get; } = principal;
    }
}
