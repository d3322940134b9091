namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A checked command on its way to the device (what a <see cref="IDeviceGateway"/> publishes): the request payload as
/// JSON text (null when the command takes none) and the MQTT message expiry; <paramref name="Queue"/> when the twin
/// allows the request to wait (up to the expiry) for a device session that is kept but not connected.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.DeviceCommand")]
public sealed record DeviceCommand(
    [property: Id(0)] string TwinId,
    [property: Id(1)] string CommandId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? PayloadJson,
    [property: Id(4)] TimeSpan Expiry,
    [property: Id(5)] bool Queue = false);
