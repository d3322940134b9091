using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Commands;

/// <summary>
/// The silo's view of the relays (one per silo): the registry's list, cached for a second, and sending through the
/// first relay that answers (a relay that fails is skipped and the list fetched again). Null from a send means no
/// relay could be reached.
/// </summary>
public sealed class DeviceGateways(IGrainFactory grains, TimeProvider time, ILogger<DeviceGateways> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private (ImmutableArray<IDeviceGateway> Gateways, DateTimeOffset Until) _cached = ([], DateTimeOffset.MinValue);

    /// <summary>Publishes a command through a relay.</summary>
    public Task<DeliveryResult?> SendAsync(DeviceCommand command) => Through(command.TwinId, g => g.Send(command));

    /// <summary>Publishes a desired-properties document through a relay.</summary>
    public Task<DeliveryResult?> PushDesiredAsync(string twinId, string document) => Through(twinId, g => g.PushDesired(twinId, document));

    private async Task<DeliveryResult?> Through(string twinId, Func<IDeviceGateway, Task<DeliveryResult>> call)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var gateways = await Current(refresh: attempt > 0);
            if (gateways.IsEmpty)
            {
                continue;
            }

            // Spread twins over the relays; any relay reaches every device on its broker.
            var start = (int)((uint)StringComparer.Ordinal.GetHashCode(twinId) % (uint)gateways.Length);
            for (var i = 0; i < gateways.Length; i++)
            {
                try
                {
                    return await call(gateways[(start + i) % gateways.Length]);
                }
                catch (Exception ex) when (ex is not TwinOperationException)
                {
                    logger.LogWarning("Device gateways: a relay failed for twin {TwinId} ({Error}); trying the next", twinId, ex.Message);
                }
            }
        }

        return null;
    }

    private async Task<ImmutableArray<IDeviceGateway>> Current(bool refresh)
    {
        var now = time.GetUtcNow();
        if (!refresh && _cached.Until > now)
        {
            return _cached.Gateways;
        }

        var gateways = await grains.GetGrain<IDeviceGatewayRegistryGrain>(0).GetGateways();
        _cached = (gateways, now + CacheFor);
        return gateways;
    }
}
