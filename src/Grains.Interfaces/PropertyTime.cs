namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// When a twin property was last written (<paramref name="LastUpdateTime"/>, the twin's clock) and, when the writer
/// said so, when the value was observed at its source (<paramref name="SourceTime"/>, e.g. the device's clock).
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.PropertyTime")]
public sealed record PropertyTime(
    [property: Id(0)] DateTimeOffset LastUpdateTime,
    [property: Id(1)] DateTimeOffset? SourceTime);
