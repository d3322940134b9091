using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// Who is calling: a name (for the audit log), the roles granted, and the subtrees they apply to. An empty
/// <see cref="Scopes"/> means the whole fleet; otherwise each scope is a twin id, meaning that twin and everything it
/// contains.
/// </summary>
/// <param name="Name">The principal's name, e.g. <c>token:ci-deploy</c> or a JWT subject.</param>
/// <param name="Roles">The roles granted.</param>
/// <param name="Scopes">Twin ids whose subtrees the roles apply to; empty for everything.</param>
/// <param name="AuthenticationType">How the principal signed in: <c>api-token</c>, <c>jwt</c> or <c>gateway</c>.</param>
[GenerateSerializer, Immutable, Alias("tc.Principal")]
public sealed record Principal(
    [property: Id(0)] string Name,
    [property: Id(1)] ImmutableArray<SecurityRole> Roles,
    [property: Id(2)] ImmutableArray<string> Scopes,
    [property: Id(3)] string AuthenticationType)
{
    /// <summary>The Orleans gateway's caller: trusted, acts as admin everywhere (programs inside the cluster).</summary>
    public static Principal Gateway(string name) => new(name, [SecurityRole.Admin], [], "gateway");

    /// <summary>True when the roles apply to the whole fleet.</summary>
    public bool IsUnscoped => Scopes.IsDefaultOrEmpty;

    /// <summary>Equal when name, authentication type, roles and scopes (in order) are.</summary>
    public bool Equals(Principal? other) =>
        other is not null && Name == other.Name && AuthenticationType == other.AuthenticationType
        && (Roles.IsDefault ? [] : Roles).SequenceEqual(other.Roles.IsDefault ? [] : other.Roles)
        && (Scopes.IsDefault ? [] : Scopes).SequenceEqual(other.Scopes.IsDefault ? [] : other.Scopes, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, AuthenticationType, Roles.IsDefault ? 0 : Roles.Length, Scopes.IsDefault ? 0 : Scopes.Length);
}
