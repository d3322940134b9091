using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Security;

/// <summary>Why a token was refused, or <see cref="Valid"/>.</summary>
public enum TokenStatus
{
    /// <summary>Accepted.</summary>
    Valid,

    /// <summary>Not a TwinCluster API token at all.</summary>
    Malformed,

    /// <summary>Well formed, but no such token (or its secret is wrong).</summary>
    Unknown,

    /// <summary>Revoked.</summary>
    Revoked,

    /// <summary>Past its expiry.</summary>
    Expired,
}

/// <summary>The result of checking an API token: the principal when valid.</summary>
public sealed record TokenValidation(TokenStatus Status, Principal? Principal, ApiTokenInfo? Info)
{
    /// <summary>True when the token was accepted.</summary>
    public bool IsValid => Status == TokenStatus.Valid;
}
