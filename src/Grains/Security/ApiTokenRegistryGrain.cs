using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Security;

/// <summary>The API tokens: info and SHA-256 by id, in the twins' storage provider. Changes are audited.</summary>
public sealed class ApiTokenRegistryGrain(
    [PersistentState("apitokens", StorageNames.Twins)] IPersistentState<ApiTokenRegistryState> state,
    IAuditLog audit,
    TimeProvider time) : Grain, IApiTokenRegistryGrain
{
    /// <summary>The longest a token may live.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3660);

    /// <summary>The most tokens kept (revoked ones included).</summary>
    public const int MaxTokens = 10_000;

    public async Task<IssuedApiToken> Create(ApiTokenRequest request, string actor)
    {
        var (token, id) = ApiTokenFormat.New();
        var info = await Store(token, id, request, actor);
        return new IssuedApiToken(token, info);
    }

    public async Task<ApiTokenInfo> Register(string token, ApiTokenRequest request, string actor)
    {
        if (!ApiTokenFormat.TryParse(token, out var id))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "token: not a TwinCluster API token (tct_…)");
        }

        if (state.State.Tokens.TryGetValue(id, out var existing))
        {
            return ApiTokenFormat.Matches(token, existing.Sha256)
                ? existing.Info
                : throw new TwinOperationException(TwinErrorCode.Conflict, $"token: another token has the id {id}");
        }

        return await Store(token, id, request, actor);
    }

    public Task<ImmutableArray<ApiTokenInfo>> List() => Task.FromResult<ImmutableArray<ApiTokenInfo>>(
        [.. state.State.Tokens.Values.Select(v => v.Info).OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal)]);

    public async Task<ApiTokenInfo> Revoke(string id, string actor)
    {
        if (!state.State.Tokens.TryGetValue(id, out var existing))
        {
            await Record(actor, "token.revoke", id, AuditEntry.Failed, "no such token");
            throw new TwinOperationException(TwinErrorCode.NotFound, $"no API token with id '{id}'");
        }

        if (existing.Info.RevokedAt is not null)
        {
            return existing.Info;
        }

        var revoked = existing with { Info = existing.Info with { RevokedAt = time.GetUtcNow() } };
        state.State.Tokens[id] = revoked;
        await state.WriteStateAsync();
        await Record(actor, "token.revoke", id, AuditEntry.Ok, existing.Info.Name);
        return revoked.Info;
    }

    public Task<ApiTokenVerifier?> Find(string id) =>
        Task.FromResult(state.State.Tokens.TryGetValue(id, out var verifier) ? verifier : null);

    private async Task<ApiTokenInfo> Store(string token, string id, ApiTokenRequest request, string actor)
    {
        var problem = Check(request);
        if (problem is not null)
        {
            await Record(actor, "token.create", id, AuditEntry.Failed, problem);
            throw new TwinOperationException(TwinErrorCode.Invalid, problem);
        }

        if (state.State.Tokens.Count >= MaxTokens)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"there are already {MaxTokens} tokens");
        }

        var now = time.GetUtcNow();
        var info = new ApiTokenInfo(id, request.Name ?? $"token-{id}", request.Role, request.Scope, now,
            request.ExpiresIn is { } lifetime ? now + lifetime : null, null, actor);
        state.State.Tokens[id] = new ApiTokenVerifier(info, ApiTokenFormat.Sha256(token));
        await state.WriteStateAsync();
        await Record(actor, "token.create", id, AuditEntry.Ok,
            $"{info.Name}: {info.Role.ToString().ToLowerInvariant()}{(info.Scope is null ? "" : " on " + info.Scope)}");
        return info;
    }

    private static string? Check(ApiTokenRequest request)
    {
        if (!Enum.IsDefined(request.Role))
        {
            return $"role: {(int)request.Role} is not one of reader, operator, modeler, admin";
        }

        if (request.Scope is not null && TwinId.Check(request.Scope) is { } scopeProblem)
        {
            return $"scope: {scopeProblem}";
        }

        if (request.ExpiresIn is { } e && (e <= TimeSpan.Zero || e > MaxLifetime))
        {
            return $"expires: {e} must be positive and at most {MaxLifetime.TotalDays:0} days";
        }

        return request.Name is { } name && (name.Length is 0 or > 100 || name.Any(char.IsControl))
            ? "name: must be 1 to 100 characters without control characters"
            : null;
    }

    private Task Record(string actor, string operation, string id, string outcome, string? detail) =>
        audit.RecordAsync(new AuditEntry(time.GetUtcNow(), actor, operation, $"token:{id}", null, outcome, detail));
}
