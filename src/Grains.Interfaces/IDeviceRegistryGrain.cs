using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The device credentials (one registry, key 0): MQTT user names with salted PBKDF2-SHA512 password hashes and the
/// twins each may publish for. Every change is written to the audit log under <c>actor</c>.
/// </summary>
[Alias("tc.IDeviceRegistryGrain")]
public interface IDeviceRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Issues a credential for a device of <paramref name="twinId"/> (its user name and client id), allowed to publish
    /// for that twin and <paramref name="moreTwins"/>. Refused with <see cref="TwinErrorCode.AlreadyExists"/> while an
    /// active device has that name (rotate it instead), <see cref="TwinErrorCode.Invalid"/> for a bad twin id.
    /// </summary>
    [Alias("Add")]
    Task<DeviceCredential> Add(string twinId, ImmutableArray<string> moreTwins, string actor);

    /// <summary>Every device, active and revoked, by user name.</summary>
    [Alias("List"), Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<DeviceInfo>> List();

    /// <summary>A new password for an active device; the old one stops working (open connections are closed).</summary>
    [Alias("Rotate")]
    Task<DeviceCredential> Rotate(string username, string actor);

    /// <summary>Revokes a device: it can no longer connect, and open connections are closed.</summary>
    [Alias("Revoke")]
    Task<DeviceInfo> Revoke(string username, string actor);

    /// <summary>
    /// What a sign-in of <paramref name="username"/> is checked against; null when the user is unknown or revoked.
    /// The slow hash runs in the <see cref="IDeviceAuthenticationGrain"/>, not here.
    /// </summary>
    [Alias("GetVerifier"), Orleans.Concurrency.ReadOnly, Orleans.Concurrency.AlwaysInterleave]
    Task<DeviceVerifier?> GetVerifier(string username);

    /// <summary>Counts the registry's changes; the broker re-checks open connections when it moves.</summary>
    [Alias("GetVersion"), Orleans.Concurrency.ReadOnly, Orleans.Concurrency.AlwaysInterleave]
    Task<long> GetVersion();

    /// <summary>
    /// The active devices as a Mosquitto <c>password_file</c> and <c>acl_file</c>; with <paramref name="serviceUser"/>
    /// and <paramref name="servicePassword"/>, also a user that may read every twin topic (the ingress).
    /// </summary>
    [Alias("ExportMosquitto")]
    Task<MosquittoExport> ExportMosquitto(string? serviceUser, string? servicePassword, string actor);
}

/// <summary>What a sign-in is checked against: the stored hash, never the password.</summary>
[GenerateSerializer, Immutable, Alias("tc.DeviceVerifier")]
public sealed record DeviceVerifier(
    [property: Id(0)] string Username,
    [property: Id(1)] string ClientId,
    [property: Id(2)] string PasswordHash,
    [property: Id(3)] ImmutableArray<string> Twins,
    [property: Id(4)] int Generation);

/// <summary>
/// Verifies device sign-ins for the broker (a stateless worker in each silo, so the slow hash runs in parallel and
/// off the registry).
/// </summary>
[Alias("tc.IDeviceAuthenticationGrain")]
public interface IDeviceAuthenticationGrain : IGrainWithIntegerKey
{
    /// <summary>The device's grant, or null when the user is unknown or revoked or the password is wrong.</summary>
    [Alias("Authenticate")]
    Task<DeviceGrant?> Authenticate(string username, string password);
}
