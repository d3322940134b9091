using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Own;

/// <summary><c>/api/v1/telemetry</c>: a twin's telemetry status, and the ingress's dead letters.</summary>
public static class OwnTelemetryEndpoints
{
    public static RouteGroupBuilder MapOwnTelemetryEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/deadletters", DeadLetters).RequireTwinRead(null).WithSummary("Dead letters newest first, by twin or reason code, a page at a time.").ProducesProblem(400);
        group.MapGet("/deadletters/counts", Counts).RequireTwinRead(null).WithSummary("How many dead letters are stored per reason code.");
        group.MapGet("/{id}", Status).RequireTwinRead().WithSummary("What the twin has applied of its telemetry (as twin telemetry show).").ProducesProblem(404);
        return group;
    }

    private static async Task<Ok<TelemetryStatusDto>> Status(string id, IGrainFactory grains)
    {
        var twin = grains.GetTwin(new TwinId(id));
        _ = await twin.Get() ?? throw TwinOperationException.TwinNotFound(id);
        return TypedResults.Ok(TelemetryStatusDto.From(id, await twin.GetTelemetry()));
    }

    private static async Task<Ok<DeadLetterPageDto>> DeadLetters(string? twin, string? reason, int? pageSize, string? continuation, HttpContext http, IGrainFactory grains)
    {
        if (!ApiPrincipal.Of(http).IsUnscoped)
        {
            if (twin is null)
            {
                throw new ApiForbiddenException($"{ApiPrincipal.Of(http).Name} is scoped: list the dead letters of one of its twins with twin=ID");
            }

            await ApiAccess.DemandAsync(http, TwinCluster.Grains.Security.SecurityOperation.Read, twin);
        }

        if (pageSize is < 1 or > 1000)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"pageSize {pageSize} must be 1 to 1000");
        }

        var page = await grains.GetGrain<IDeadLetterGrain>(0).List(twin, reason, pageSize ?? 100, continuation);
        return TypedResults.Ok(new DeadLetterPageDto([.. page.Items.Select(DeadLetterDto.From)], page.Continuation));
    }

    private static async Task<Ok<ImmutableDictionary<string, long>>> Counts(HttpContext http, IGrainFactory grains) =>
        ApiPrincipal.Of(http).IsUnscoped
            ? TypedResults.Ok(await grains.GetGrain<IDeadLetterGrain>(0).CountByReason())
            : throw new ApiForbiddenException($"{ApiPrincipal.Of(http).Name} is scoped: the counts cover the whole fleet");
}
