using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;

namespace TwinCluster.Dashboard.Services;

/// <summary>Turns the signed-in browser user into the platform's <see cref="Principal"/> (the host says how).</summary>
public delegate Principal? PrincipalResolver(ClaimsPrincipal user);

/// <summary>
/// The signed-in user of one circuit and what they may do, decided by <see cref="AuthorizationService"/> (the same
/// rules as the HTTP API): pages ask here before they offer an action.
/// </summary>
public sealed class DashboardUser(AuthenticationStateProvider authentication, PrincipalResolver resolve, AuthorizationService authorization)
{
    private Principal? _principal;
    private bool _resolved;
    private IReadOnlySet<string>? _readable;
    private DateTimeOffset _readableAt;

    /// <summary>The principal, or null when nobody is signed in.</summary>
    public async Task<Principal?> PrincipalAsync()
    {
        if (!_resolved)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            _principal = state.User.Identity?.IsAuthenticated == true ? resolve(state.User) : null;
            _resolved = true;
        }

        return _principal;
    }

    /// <summary>The name recorded for this user's actions.</summary>
    public async Task<string> NameAsync() => (await PrincipalAsync())?.Name ?? "anonymous";

    /// <summary>May read the twin.</summary>
    public async Task<bool> CanRead(string twinId) => await PrincipalAsync() is { } p && await authorization.CanRead(p, twinId);

    /// <summary>May edit the twin's properties.</summary>
    public async Task<bool> CanWrite(string twinId) => await PrincipalAsync() is { } p && await authorization.CanWrite(p, twinId);

    /// <summary>May acknowledge the twin's alerts.</summary>
    public async Task<bool> CanAcknowledge(string twinId) => await PrincipalAsync() is { } p && await authorization.CanAcknowledge(p, twinId);

    /// <summary>May upload models.</summary>
    public async Task<bool> CanModel() => await PrincipalAsync() is { } p && authorization.CanModel(p);

    /// <summary>The twins this user may read: null for all (refreshed every few seconds for a scoped user).</summary>
    public async Task<IReadOnlySet<string>?> ReadableAsync()
    {
        if (await PrincipalAsync() is not { } p)
        {
            return new HashSet<string>();
        }

        if (p.IsUnscoped)
        {
            return await authorization.ReadableTwins(p);
        }

        if (_readable is null || DateTimeOffset.UtcNow - _readableAt > TimeSpan.FromSeconds(5))
        {
            _readable = await authorization.ReadableTwins(p);
            _readableAt = DateTimeOffset.UtcNow;
        }

        return _readable;
    }
}
