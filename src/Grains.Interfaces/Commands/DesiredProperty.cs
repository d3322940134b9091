namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// One writable property: what the operator wants (<see cref="DesiredJson"/> at <see cref="Version"/>), what the device
/// last reported (<see cref="ReportedJson"/>), and the acknowledgement (<see cref="State"/>, with the device's status,
/// version and description).
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.DesiredProperty")]
public sealed record DesiredProperty(
    [property: Id(0)] string Name,
    [property: Id(1)] string DesiredJson,
    [property: Id(2)] long Version,
    [property: Id(3)] DateTimeOffset SetAt,
    [property: Id(4)] DesiredAckState State,
    [property: Id(5)] string? ReportedJson,
    [property: Id(6)] int? AckStatus,
    [property: Id(7)] long? AckVersion,
    [property: Id(8)] string? AckDescription,
    [property: Id(9)] DateTimeOffset? AckedAt);
