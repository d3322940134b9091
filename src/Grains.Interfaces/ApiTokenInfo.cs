namespace TwinCluster.Grains.Interfaces;

/// <summary>An API token as listed (never the token itself: only its SHA-256 is stored).</summary>
/// <param name="Id">The token's public id (also its first part), used to revoke it.</param>
/// <param name="Name">A name for people, e.g. the script that uses it.</param>
/// <param name="Role">The role it grants.</param>
/// <param name="Scope">The twin whose subtree it is limited to, or null for the whole fleet.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working, or null for never.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
/// <param name="CreatedBy">Who created it.</param>
[GenerateSerializer, Immutable, Alias("tc.ApiTokenInfo")]
public sealed record ApiTokenInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] SecurityRole Role,
    [property: Id(3)] string? Scope,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] DateTimeOffset? RevokedAt,
    [property: Id(7)] string CreatedBy)
{
    /// <summary>True when not revoked and not expired at <paramref name="now"/>.</summary>
    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}

/// <summary>What a new API token grants.</summary>
[GenerateSerializer, Immutable, Alias("tc.ApiTokenRequest")]
public sealed record ApiTokenRequest(
    [property: Id(0)] SecurityRole Role,
    [property: Id(1)] string? Scope,
    [property: Id(2)] TimeSpan? ExpiresIn,
    [property: Id(3)] string? Name);

/// <summary>A new API token: <see cref="Token"/> is shown once and never stored.</summary>
[GenerateSerializer, Immutable, Alias("tc.IssuedApiToken")]
public sealed record IssuedApiToken(
    [property: Id(0)] string Token,
    [property: Id(1)] ApiTokenInfo Info);

/// <summary>What a token is checked against: its info and the stored SHA-256 of the whole token.</summary>
[GenerateSerializer, Immutable, Alias("tc.ApiTokenVerifier")]
public sealed record ApiTokenVerifier(
    [property: Id(0)] ApiTokenInfo Info,
    [property: Id(1)] string Sha256);
