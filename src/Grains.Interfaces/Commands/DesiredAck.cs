namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A device's acknowledgement of a desired property (IoT Plug and Play: <c>{"value": …, "ac": 200, "av": 7, "ad": "…"}</c>
/// reported for the property): the value it now has, the status, the desired version it answers, and a description.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.DesiredAck")]
public sealed record DesiredAck(
    [property: Id(0)] string Property,
    [property: Id(1)] string? ValueJson,
    [property: Id(2)] int Status,
    [property: Id(3)] long Version,
    [property: Id(4)] string? Description);
