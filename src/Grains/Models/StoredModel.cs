namespace TwinCluster.Grains.Models;

/// <summary>One uploaded interface as persisted by the repository.</summary>
[GenerateSerializer, Alias("tc.StoredModel")]
public sealed class StoredModel
{
    [Id(0)] public string Json { get; set; } = "";

    [Id(1)] public DateTimeOffset UploadedAt { get; set; }

    [Id(2)] public bool Decommissioned { get; set; }

    [Id(3)] public List<string> Dependencies { get; set; } = [];

    [Id(4)] public string? DisplayName { get; set; }
}
