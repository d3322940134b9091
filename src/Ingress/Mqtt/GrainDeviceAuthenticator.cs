using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>Device sign-ins checked by the cluster's device registry (the hash is verified in a stateless worker).</summary>
public sealed class GrainDeviceAuthenticator(IGrainFactory grains) : IDeviceAuthenticator
{
    /// <inheritdoc />
    public Task<DeviceGrant?> AuthenticateAsync(string username, string password, CancellationToken cancellationToken) =>
        grains.GetDeviceAuthentication().Authenticate(username, password);

    /// <inheritdoc />
    public Task<long> VersionAsync(CancellationToken cancellationToken) => grains.GetDeviceRegistry().GetVersion();

    /// <inheritdoc />
    public async Task<bool> IsCurrentAsync(DeviceGrant grant, CancellationToken cancellationToken) =>
        await grains.GetDeviceRegistry().GetVerifier(grant.Username) is { } verifier && verifier.Generation == grant.Generation;
}
