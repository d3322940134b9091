namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// How to send a command. <paramref name="Timeout"/> bounds the wait for the device's answer (at most
/// <see cref="MaxTimeout"/>). <paramref name="CommandId"/> names the command (a new id when null): sending the same id
/// again returns the first outcome without sending again, and the device gets the id to recognise a redelivery.
/// <paramref name="QueueFor"/>, when set, lets the broker keep the request that long for a device whose session
/// exists but is not connected (MQTT message expiry); off by default, when it expires with the timeout.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.CommandOptions")]
public sealed record CommandOptions(
    [property: Id(0)] TimeSpan Timeout,
    [property: Id(1)] string? CommandId = null,
    [property: Id(2)] TimeSpan? QueueFor = null)
{
    /// <summary>The longest wait accepted (under the Orleans response timeout of 30 s).</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(25);

    /// <summary>The default wait.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The longest queueing accepted (one day).</summary>
    public static readonly TimeSpan MaxQueue = TimeSpan.FromDays(1);
}
