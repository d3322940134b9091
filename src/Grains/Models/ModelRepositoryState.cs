namespace TwinCluster.Grains.Models;

/// <summary>The repository's persisted state: every uploaded interface by DTMI.</summary>
[GenerateSerializer, Alias("tc.ModelRepositoryState")]
public sealed class ModelRepositoryState
{
    [Id(0)] public Dictionary<string, StoredModel> Models { get; set; } = new(StringComparer.Ordinal);
}
