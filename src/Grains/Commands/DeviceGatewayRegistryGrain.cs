using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Commands;

/// <summary>The live relays to the broker, in memory; the relays register again every few seconds, so a new activation fills up by itself.</summary>
public sealed class DeviceGatewayRegistryGrain(TimeProvider time) : Grain, IDeviceGatewayRegistryGrain
{
    private readonly Dictionary<string, (IDeviceGateway Gateway, DateTimeOffset Expires)> _gateways = new(StringComparer.Ordinal);

    public Task Register(string name, IDeviceGateway gateway)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(gateway);
        _gateways[name] = (gateway, time.GetUtcNow() + IDeviceGatewayRegistryGrain.Expiry);
        return Task.CompletedTask;
    }

    public Task Unregister(string name)
    {
        _gateways.Remove(name);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<IDeviceGateway>> GetGateways()
    {
        var now = time.GetUtcNow();
        foreach (var (name, entry) in _gateways.ToList())
        {
            if (entry.Expires <= now)
            {
                _gateways.Remove(name);
            }
        }

        return Task.FromResult<ImmutableArray<IDeviceGateway>>([.. _gateways.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value.Gateway)]);
    }
}
