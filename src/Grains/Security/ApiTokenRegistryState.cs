namespace TwinCluster.Grains.Security;

/// <summary>The API token registry's stored state: token info and hash by id.</summary>
[GenerateSerializer, Alias("tc.ApiTokenRegistryState")]
public sealed class ApiTokenRegistryState
{
    /// <summary>Tokens by id.</summary>
    [Id(0)]
    public Dictionary<string, TwinCluster.Grains.Interfaces.ApiTokenVerifier> Tokens { get; set; } = [];
}
