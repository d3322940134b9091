namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A relay from the twins to the MQTT broker, run by each ingress (in the silo for the built-in broker, in
/// <c>twin-ingress</c> for an external one) and registered with <see cref="IDeviceGatewayRegistryGrain"/>. It publishes
/// what the twins send down and hands the devices' replies back to their twins.
/// </summary>
[Alias("tc.IDeviceGateway")]
public interface IDeviceGateway : IGrainObserver
{
    /// <summary>Publishes a command request (QoS 1) and says what the broker answered.</summary>
    [Alias("Send")]
    Task<DeliveryResult> Send(DeviceCommand command);

    /// <summary>Publishes a twin's desired-properties document, retained, so a device that connects later gets it.</summary>
    [Alias("PushDesired")]
    Task<DeliveryResult> PushDesired(string twinId, string documentJson);
}
