namespace TwinCluster.Grains.Interfaces;

/// <summary>A device's answer to a command, as the relay received it: status and the raw payload text (null when empty).</summary>
[GenerateSerializer, Immutable, Alias("tc.CommandReply")]
public sealed record CommandReply(
    [property: Id(0)] string CommandId,
    [property: Id(1)] int Status,
    [property: Id(2)] string? PayloadText,
    [property: Id(3)] DateTimeOffset ReceivedAt);
