using Orleans.Concurrency;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Security;

/// <summary>
/// Verifies device sign-ins next to the broker: fetches the stored hash from the registry and runs the slow
/// PBKDF2 here, so many devices reconnecting at once do not queue on the registry.
/// </summary>
[StatelessWorker]
public sealed class DeviceAuthenticationGrain : Grain, IDeviceAuthenticationGrain
{
    public async Task<DeviceGrant?> Authenticate(string username, string password)
    {
        if (string.IsNullOrEmpty(username) || password is null)
        {
            return null;
        }

        var verifier = await GrainFactory.GetDeviceRegistry().GetVerifier(username);
        return verifier is not null && PasswordHash.Verify(password, verifier.PasswordHash)
            ? new DeviceGrant(verifier.Username, verifier.Twins, verifier.Generation)
            : null;
    }
}
