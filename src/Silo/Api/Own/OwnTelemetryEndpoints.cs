using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Silo.Api.Own;

/// <summary><c>/api/v1/telemetry</c>: a twin's telemetry status, and the ingress's dead letters.</summary>
public static class OwnTelemetryEndpoints
{
    public static RouteGroupBuilder MapOwnTelemetryEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/deadletters", DeadLetters).WithSummary("Dead letters newest first, by twin or reason code, a page at a time.").ProducesProblem(400);
        group.MapGet("/deadletters/counts", Counts).WithSummary("How many dead letters are stored per reason code.");
        group.MapGet("/{id}", Status).WithSummary("What the twin has applied of its telemetry (as twin telemetry show).").ProducesProblem(404);
        return group;
    }

    private static async Task<Ok<TelemetryStatusDto>> Status(string id, IGrainFactory grains)
    {
        var twin = grains.GetTwin(new TwinId(id));
        _ = await twin.Get() ?? throw TwinOperationException.TwinNotFound(id);
        return TypedResults.Ok(TelemetryStatusDto.From(id, await twin.GetTelemetry()));
    }

    private static async Task<Ok<DeadLetterPageDto>> DeadLetters(string? twin, string? reason, int? pageSize, string? continuation, IGrainFactory grains)
    {
        if (pageSize is < 1 or > 1000)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"pageSize {pageSize} must be 1 to 1000");
        }

        var page = await grains.GetGrain<IDeadLetterGrain>(0).List(twin, reason, pageSize ?? 100, continuation);
        return TypedResults.Ok(new DeadLetterPageDto([.. page.Items.Select(DeadLetterDto.From)], page.Continuation));
    }

    private static async Task<Ok<ImmutableDictionary<string, long>>> Counts(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IDeadLetterGrain>(0).CountByReason());
}
