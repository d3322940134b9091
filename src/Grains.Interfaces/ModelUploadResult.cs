using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The outcome of an upload. Uploads are atomic: when <paramref name="Errors"/> is not empty nothing was stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.ModelUploadResult")]
public sealed record ModelUploadResult(
    [property: Id(0)] ImmutableArray<string> Uploaded,
    [property: Id(1)] ImmutableArray<ModelIssue> Errors)
{
    /// <summary>True when the models were stored.</summary>
    public bool Succeeded => Errors.IsDefaultOrEmpty;
}
