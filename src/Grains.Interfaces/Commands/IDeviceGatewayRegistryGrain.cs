using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The relays that can reach devices (key 0). A relay registers again every few seconds; one not heard from for
/// <see cref="Expiry"/> is forgotten, so a dead ingress drops out and a new activation of this grain fills up again.
/// </summary>
[Alias("tc.IDeviceGatewayRegistryGrain")]
public interface IDeviceGatewayRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>How long a registration lasts.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    /// <summary>Registers (or renews) a relay under a name unique to its process.</summary>
    [Alias("Register")]
    Task Register(string name, IDeviceGateway gateway);

    /// <summary>Removes a relay (on an orderly stop).</summary>
    [Alias("Unregister")]
    Task Unregister(string name);

    /// <summary>The live relays.</summary>
    [Alias("GetGateways"), Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<IDeviceGateway>> GetGateways();
}
