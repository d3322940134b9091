using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A device credential as listed (never with its password): the MQTT user name and client id, the twins it may
/// publish for, and its life so far.
/// </summary>
/// <param name="Username">The MQTT user name (the device's first twin id).</param>
/// <param name="ClientId">The MQTT client id it connects with (the user name; empty lets the broker assign one).</param>
/// <param name="Twins">The twins whose topics it may publish to, its first twin first.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="RotatedAt">When its password was last replaced, or null.</param>
/// <param name="RevokedAt">When it was revoked (it can no longer connect), or null while active.</param>
/// <param name="Generation">Counts its passwords from 1; a connection made with an older one is closed.</param>
[GenerateSerializer, Immutable, Alias("tc.DeviceInfo")]
public sealed record DeviceInfo(
    [property: Id(0)] string Username,
    [property: Id(1)] string ClientId,
    [property: Id(2)] ImmutableArray<string> Twins,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? RotatedAt,
    [property: Id(5)] DateTimeOffset? RevokedAt,
    [property: Id(6)] int Generation)
{
    /// <summary>True until revoked.</summary>
    public bool IsActive => RevokedAt is null;
}

/// <summary>A device credential as issued: shown once, only a hash of the password is stored.</summary>
[GenerateSerializer, Immutable, Alias("tc.DeviceCredential")]
public sealed record DeviceCredential(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string Username,
    [property: Id(2)] string Password,
    [property: Id(3)] ImmutableArray<string> Twins);

/// <summary>What the broker learns from a successful device sign-in.</summary>
/// <param name="Username">The device.</param>
/// <param name="Twins">The twins it may publish for (and whose commands and desired properties it may subscribe to).</param>
/// <param name="Generation">The password generation it signed in with.</param>
[GenerateSerializer, Immutable, Alias("tc.DeviceGrant")]
public sealed record DeviceGrant(
    [property: Id(0)] string Username,
    [property: Id(1)] ImmutableArray<string> Twins,
    [property: Id(2)] int Generation);

/// <summary>A Mosquitto <c>password_file</c> and <c>acl_file</c>, in Mosquitto's own formats.</summary>
[GenerateSerializer, Immutable, Alias("tc.MosquittoExport")]
public sealed record MosquittoExport(
    [property: Id(0)] string PasswordFile,
    [property: Id(1)] string AclFile,
    [property: Id(2)] int Devices);
