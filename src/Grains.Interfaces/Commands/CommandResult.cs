namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// What became of one command: the <see cref="Outcome"/>, the device's <see cref="Status"/> and
/// <see cref="PayloadJson"/> when it answered, and a <see cref="Message"/> saying why otherwise.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.CommandResult")]
public sealed record CommandResult(
    [property: Id(0)] string TwinId,
    [property: Id(1)] string CommandId,
    [property: Id(2)] string Name,
    [property: Id(3)] CommandOutcome Outcome,
    [property: Id(4)] int? Status,
    [property: Id(5)] string? PayloadJson,
    [property: Id(6)] string? Message,
    [property: Id(7)] DateTimeOffset RequestedAt,
    [property: Id(8)] DateTimeOffset CompletedAt);
