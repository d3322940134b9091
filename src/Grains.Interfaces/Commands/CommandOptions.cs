namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// How to send a command. <paramref name="Timeout"/> bounds the wait for the device's answer (at most
/// <see cref="MaxTimeout"/>). <paramref name="CommandId"/> names the command (a new id when null): sending the same id
/// again returns the first outcome without sending again, and the device gets the id to recognise a redelivery.
/// <paramref name="QueueFor"/>, when set, lets the broker keep the request that long for a device whose session
/// is kept but not connected (MQTT message expiry): the caller still waits only the timeout, and an answer that comes
/// later, while the request is kept, is recorded in the twin's commands (<see cref="CommandOutcome.Expired"/> once it
/// no longer can). Off by default: then the request expires with the timeout, and on the built-in broker a device that
/// is not connected is <see cref="CommandOutcome.Offline"/> at once.
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
