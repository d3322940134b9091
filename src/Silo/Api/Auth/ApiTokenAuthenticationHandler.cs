using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TwinCluster.Grains.Security;

namespace TwinCluster.Silo.Api.Auth;

/// <summary>
/// Signs a request in with TwinCluster's own API token (<c>Authorization: Bearer tct_…</c>). A refusal names why
/// (malformed, unknown, revoked, expired) and counts as a failed sign-in of the source address.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    SignInThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Where the refusal's reason waits for the challenge.</summary>
    public const string ReasonItem = "TwinCluster.Auth.Reason";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail("the Authorization header must be 'Bearer <token>'");
        }

        var validation = await tokens.ValidateAsync(header["Bearer ".Length..].Trim());
        return validation.Status switch
        {
            TokenStatus.Valid => AuthenticateResult.Success(new AuthenticationTicket(
                ApiPrincipal.ToClaims(validation.Principal!, Scheme.Name, validation.Info!.Id), Scheme.Name)),
            TokenStatus.Malformed => Fail("the token is malformed (TwinCluster API tokens look like tct_<12 hex digits>_<secret>)"),
            TokenStatus.Unknown => Fail("the token is not known (wrong secret, or never issued here)"),
            TokenStatus.Revoked => Fail($"the token '{validation.Info!.Name}' was revoked at {validation.Info.RevokedAt:O}"),
            TokenStatus.Expired => Fail($"the token '{validation.Info!.Name}' expired at {validation.Info.ExpiresAt:O}"),
            _ => Fail("the token was refused"),
        };
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiAuthResponses.Unauthorized(Context, Context.Items[ReasonItem] as string ?? "no token was sent");

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiAuthResponses.Forbidden(Context, "the principal may not do this");

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[ReasonItem] = reason;
        throttle.Failed(Context.Connection.RemoteIpAddress);
        Logger.LogInformation("Sign-in refused from {Source}: {Reason}", Context.Connection.RemoteIpAddress, reason);
        return AuthenticateResult.Fail(reason);
    }
}
