using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A stored model: its DTMI, when it was uploaded, whether it is decommissioned, the models it depends on, and the
/// names of its contents co-typed Historized (DTDL Historization extension, inherited ones included).
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.ModelInfo")]
public sealed record ModelInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string? DisplayName,
    [property: Id(2)] DateTimeOffset UploadedAt,
    [property: Id(3)] bool Decommissioned,
    [property: Id(4)] ImmutableArray<string> Dependencies)
{
    /// <summary>Names of the contents (Properties, Telemetry) the model marks Historized, in name order; empty when none.</summary>
    [Id(5)]
    public ImmutableArray<string> Historized { get; init; } = [];
}
