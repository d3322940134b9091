namespace TwinCluster.Grains.Interfaces;

/// <summary>Typed access to the security grains.</summary>
public static class SecurityGrainFactoryExtensions
{
    /// <summary>The device credential registry.</summary>
    public static IDeviceRegistryGrain GetDeviceRegistry(this IGrainFactory factory) => factory.GetGrain<IDeviceRegistryGrain>(0);

    /// <summary>A device sign-in verifier (stateless worker: local to the calling silo).</summary>
    public static IDeviceAuthenticationGrain GetDeviceAuthentication(this IGrainFactory factory) => factory.GetGrain<IDeviceAuthenticationGrain>(0);

    /// <summary>The API token registry.</summary>
    public static IApiTokenRegistryGrain GetApiTokens(this IGrainFactory factory) => factory.GetGrain<IApiTokenRegistryGrain>(0);

    /// <summary>The audit log (stateless worker).</summary>
    public static IAuditGrain GetAudit(this IGrainFactory factory) => factory.GetGrain<IAuditGrain>(0);
}
