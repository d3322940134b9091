using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// TwinCluster's own API tokens (one registry, key 0), for scripts. A token is <c>tct_{id}_{secret}</c>; only its
/// SHA-256 is kept. Every change is written to the audit log under <c>actor</c>.
/// </summary>
[Alias("tc.IApiTokenRegistryGrain")]
public interface IApiTokenRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a token; refused with <see cref="TwinErrorCode.Invalid"/> naming the bad field.</summary>
    [Alias("Create")]
    Task<IssuedApiToken> Create(ApiTokenRequest request, string actor);

    /// <summary>
    /// Registers a token made elsewhere (the embedded default's <c>~/.twincluster/token</c>, kept across restarts of
    /// its in-memory registry); does nothing when it is already registered.
    /// </summary>
    [Alias("Register")]
    Task<ApiTokenInfo> Register(string token, ApiTokenRequest request, string actor);

    /// <summary>Every token, newest first.</summary>
    [Alias("List"), Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<ApiTokenInfo>> List();

    /// <summary>Revokes a token by id; refused with <see cref="TwinErrorCode.NotFound"/> for an unknown id.</summary>
    [Alias("Revoke")]
    Task<ApiTokenInfo> Revoke(string id, string actor);

    /// <summary>The token with this id and its stored hash, or null.</summary>
    [Alias("Find"), Orleans.Concurrency.ReadOnly, Orleans.Concurrency.AlwaysInterleave]
    Task<ApiTokenVerifier?> Find(string id);
}
