using System.Collections.Concurrent;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Security;

/// <summary>
/// Checks API tokens for the HTTP API. A token's record is cached for <see cref="CacheDuration"/>, so a request does
/// not cost a registry call; revoking through this service takes effect at once here, and within that time on other
/// silos. Expiry is checked on every call.
/// </summary>
public sealed class ApiTokenService(IGrainFactory grains, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (ApiTokenVerifier? Verifier, DateTimeOffset FetchedAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>How long a fetched token record is trusted (default 2 s).</summary>
    public TimeSpan CacheDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks <paramref name="token"/>: the principal when it is valid now, otherwise why not.</summary>
    public async Task<TokenValidation> ValidateAsync(string? token)
    {
        if (!ApiTokenFormat.TryParse(token, out var id))
        {
            return new TokenValidation(TokenStatus.Malformed, null, null);
        }

        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(id, out var cached) || now - cached.FetchedAt >= CacheDuration)
        {
            cached = (await grains.GetApiTokens().Find(id), now);
            if (_cache.Count > 10_000)
            {
                _cache.Clear();
            }

            _cache[id] = cached;
        }

        if (cached.Verifier is not { } verifier || !ApiTokenFormat.Matches(token, verifier.Sha256))
        {
            return new TokenValidation(TokenStatus.Unknown, null, null);
        }

        var info = verifier.Info;
        if (info.RevokedAt is not null)
        {
            return new TokenValidation(TokenStatus.Revoked, null, info);
        }

        if (info.ExpiresAt is { } expires && now >= expires)
        {
            return new TokenValidation(TokenStatus.Expired, null, info);
        }

        return new TokenValidation(TokenStatus.Valid, ToPrincipal(info), info);
    }

    /// <summary>Creates a token (shown once).</summary>
    public Task<IssuedApiToken> CreateAsync(ApiTokenRequest request, Principal actor) => grains.GetApiTokens().Create(request, actor.Name);

    /// <summary>Every token.</summary>
    public Task<System.Collections.Immutable.ImmutableArray<ApiTokenInfo>> ListAsync() => grains.GetApiTokens().List();

    /// <summary>Revokes a token; it is refused here from now on.</summary>
    public async Task<ApiTokenInfo> RevokeAsync(string id, Principal actor)
    {
        var revoked = await grains.GetApiTokens().Revoke(id, actor.Name);
        _cache.TryRemove(id, out _);
        return revoked;
    }

    /// <summary>The principal a token's holder acts as: <c>token:{name}</c> with its role and scope.</summary>
    public static Principal ToPrincipal(ApiTokenInfo info) =>
        new($"token:{info.Name}", [info.Role], info.Scope is null ? [] : [info.Scope], "api-token");
}
