namespace TwinCluster.Cli;

/// <summary>The CLI's exit codes.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    /// <summary>The HTTP API did not accept the token (none given, unknown, revoked, expired): 401.</summary>
    public const int Unauthorized = 3;

    /// <summary>The token's role or scope does not allow it: 403.</summary>
    public const int Forbidden = 4;

    /// <summary>The API's rate limit: 429, try again after the time it names.</summary>
    public const int TooManyRequests = 5;
}
