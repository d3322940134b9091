using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Silo.Api.Own;

/// <summary><c>/api/v1/alerts</c>: open (and recently cleared) alerts, under a subtree; acknowledge one with who and a note.</summary>
public static class OwnAlertEndpoints
{
    public static RouteGroupBuilder MapOwnAlertEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("", List).WithSummary("Open alerts, alarms first; all=true adds the recently cleared; under=id keeps a subtree's.")
            .ProducesProblem(404);
        group.MapPost("/{twinId}/acknowledge", Acknowledge).WithSummary("Acknowledges the component's open alert at its current level.")
            .ProducesProblem(400).ProducesProblem(404);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<AlertDto>>> List(bool? all, string? under, IGrainFactory grains)
    {
        var items = await grains.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).List(all == true);
        if (under is not null)
        {
            _ = await grains.GetTwin(new TwinId(under)).Get() ?? throw TwinOperationException.TwinNotFound(under);
            var members = (await grains.GetQueries().Subtree(under)).Select(e => e.TwinId).ToHashSet(StringComparer.Ordinal);
            items = [.. items.Where(a => members.Contains(a.TwinId))];
        }

        return TypedResults.Ok((IReadOnlyList<AlertDto>)[.. items.Select(AlertDto.From)]);
    }

    private static async Task<Ok<AlertDto>> Acknowledge(string twinId, AcknowledgeRequest request, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(request.By))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "by is required: who acknowledges the alert");
        }

        var alert = await grains.GetTwin(new TwinId(twinId)).AcknowledgeAlert(request.By, request.Note);
        return TypedResults.Ok(AlertDto.From(alert));
    }
}
