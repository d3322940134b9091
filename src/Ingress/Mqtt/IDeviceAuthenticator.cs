using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>Checks device sign-ins for the built-in broker and tells when credentials may have changed.</summary>
public interface IDeviceAuthenticator
{
    /// <summary>The device's grant, or null when the user is unknown or revoked or the password is wrong.</summary>
    Task<DeviceGrant?> AuthenticateAsync(string username, string password, CancellationToken cancellationToken);

    /// <summary>A number that moves whenever a credential is added, rotated or revoked.</summary>
    Task<long> VersionAsync(CancellationToken cancellationToken);

    /// <summary>True while <paramref name="grant"/> is still valid (not revoked, password not rotated since).</summary>
    Task<bool> IsCurrentAsync(DeviceGrant grant, CancellationToken cancellationToken);
}
