using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Security;

/// <summary>
/// What each role allows, before scopes: reader reads; operator reads, writes and acknowledges; modeler reads and
/// models; admin does everything. Models and administration are fleet-wide, so a scoped principal never gets them.
/// </summary>
public static class SecurityRules
{
    /// <summary>True when <paramref name="role"/> allows <paramref name="operation"/>.</summary>
    public static bool Allows(SecurityRole role, SecurityOperation operation) => (role, operation) switch
    {
        (SecurityRole.Admin, _) => true,
        (_, SecurityOperation.Read) => true,
        (SecurityRole.Operator, SecurityOperation.Write or SecurityOperation.Acknowledge) => true,
        (SecurityRole.Modeler, SecurityOperation.Model) => true,
        _ => false,
    };

    /// <summary>True when one of the principal's roles allows the operation (scopes aside).</summary>
    public static bool Allows(Principal principal, SecurityOperation operation) =>
        !principal.Roles.IsDefaultOrEmpty && principal.Roles.Any(r => Allows(r, operation));

    /// <summary>True when the operation is fleet-wide (not about one twin), so a scope cannot cover it.</summary>
    public static bool IsFleetWide(SecurityOperation operation) => operation is SecurityOperation.Model or SecurityOperation.Admin;

    /// <summary>True when a twin with containment path <paramref name="path"/> (top down) lies in one of the scopes.</summary>
    public static bool InScope(Principal principal, IReadOnlyCollection<string> path) =>
        principal.IsUnscoped || principal.Scopes.Any(path.Contains);
}
