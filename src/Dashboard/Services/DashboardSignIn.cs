namespace TwinCluster.Dashboard.Services;

/// <summary>
/// How browsers may sign in besides a token, as the host configured it: the OpenID Connect issuer's name and the path
/// that starts a sign-in there (<c>?returnUrl=</c> is appended); null when no issuer takes browser sign-ins.
/// </summary>
public sealed record DashboardSignIn(string? IssuerName, string IssuerPath);
