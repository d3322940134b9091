namespace TwinCluster.Grains.Interfaces;

/// <summary>What the broker said to a published request.</summary>
public enum DeliveryResult
{
    /// <summary>The broker took it for at least one session subscribed to the twin's commands.</summary>
    Delivered = 0,

    /// <summary>The broker took it but no session subscribes to the twin's commands (MQTT 5 reason 0x10): the device is offline.</summary>
    NoSubscribers = 1,

    /// <summary>The relay is not connected, or the broker refused the publish.</summary>
    Failed = 2,
}
