using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;
using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Own;

/// <summary>
/// <c>/api/v1/auth/tokens</c>, <c>/api/v1/devices</c> and <c>/api/v1/audit</c>: what <c>twin auth token</c>,
/// <c>twin devices</c> and <c>twin audit</c> do, for an unscoped admin. The registries record every change in the
/// audit log with the principal as the actor.
/// </summary>
public static class OwnSecurityEndpoints
{
    public static RouteGroupBuilder MapOwnTokenEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("", async (ApiTokenService tokens) => TypedResults.Ok(await tokens.ListAsync())).RequireAdmin()
            .WithSummary("Every API token (ids, names, roles, scopes, expiry; never the tokens).");
        group.MapPost("", CreateToken).RequireAdmin()
            .WithSummary("Creates a token {role, scope?, expiresIn? (d.hh:mm:ss), name?}; the token is in the answer once and never again.").ProducesProblem(400);
        group.MapDelete("/{id}", async (string id, HttpContext http, ApiTokenService tokens) => TypedResults.Ok(await tokens.RevokeAsync(id, ApiPrincipal.Of(http))))
            .RequireAdmin().WithSummary("Revokes a token: refused from now on.").ProducesProblem(404);
        return group;
    }

    public static RouteGroupBuilder MapOwnDeviceEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetDeviceRegistry().List())).RequireAdmin()
            .WithSummary("Every device credential (never the passwords).");
        group.MapPost("", AddDevice).RequireAdmin()
            .WithSummary("Issues a device credential {twin, twins?}: clientId, username and password, the password shown once.").ProducesProblem(400);
        group.MapPost("/{username}/rotate", async (string username, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetDeviceRegistry().Rotate(username, ApiPrincipal.Of(http).Name)))
            .RequireAdmin().WithSummary("Replaces the device's password; its connections are closed.").ProducesProblem(404);
        group.MapDelete("/{username}", async (string username, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetDeviceRegistry().Revoke(username, ApiPrincipal.Of(http).Name)))
            .RequireAdmin().WithSummary("Revokes the device; its connections are closed.").ProducesProblem(404);
        group.MapPost("/export/mosquitto", async (MosquittoExportRequest? request, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetDeviceRegistry().ExportMosquitto(request?.ServiceUser, request?.ServicePassword, ApiPrincipal.Of(http).Name)))
            .RequireAdmin().WithSummary("The active devices as Mosquitto 2 password_file and acl_file texts {serviceUser?, servicePassword?}.").ProducesProblem(400);
        return group;
    }

    public static RouteGroupBuilder MapOwnAuditEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("", Audit).RequireAdmin()
            .WithSummary("The audit log newest first: twin=, by= (principal), since= (ISO time), limit= (1 to 10000, default 1000).").ProducesProblem(400);
        return group;
    }

    private static async Task<Created<IssuedApiToken>> CreateToken(TokenCreateRequest request, HttpContext http, ApiTokenService tokens)
    {
        if (!Enum.TryParse<SecurityRole>(request.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(request.Role, out _))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"role '{request.Role}' is not one of reader, operator, modeler, admin");
        }

        var issued = await tokens.CreateAsync(new ApiTokenRequest(role, request.Scope, request.ExpiresIn, request.Name), ApiPrincipal.Of(http));
        return TypedResults.Created($"{ApiHostingExtensions.OwnPrefix}/auth/tokens/{issued.Info.Id}", issued);
    }

    private static async Task<Created<DeviceCredential>> AddDevice(DeviceAddRequest request, HttpContext http, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(request.Twin))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "twin is required: the twin the device publishes for");
        }

        var credential = await grains.GetDeviceRegistry().Add(request.Twin, [.. request.Twins ?? []], ApiPrincipal.Of(http).Name);
        return TypedResults.Created($"{ApiHostingExtensions.OwnPrefix}/devices/{credential.Username}", credential);
    }

    private static async Task<Ok<IReadOnlyList<AuditEntry>>> Audit(string? twin, string? by, DateTimeOffset? since, int? limit, IAuditLog log, CancellationToken ct)
    {
        if (limit is < 1 or > 10_000)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"limit {limit} must be 1 to 10000");
        }

        return TypedResults.Ok(await log.QueryAsync(new AuditQuery(twin, by, since, limit ?? 1000), ct));
    }
}

/// <summary>A new API token's grant.</summary>
public sealed record TokenCreateRequest(string Role, string? Scope, TimeSpan? ExpiresIn, string? Name);

/// <summary>A new device: its first twin and any more it publishes for.</summary>
public sealed record DeviceAddRequest(string Twin, ImmutableArray<string>? Twins);

/// <summary>The service user (the ingress) to add to a Mosquitto export.</summary>
public sealed record MosquittoExportRequest(string? ServiceUser, string? ServicePassword);
