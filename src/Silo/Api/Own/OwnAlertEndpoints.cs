using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Own;

/// <summary><c>/api/v1/alerts</c>: open (and recently cleared) alerts, under a subtree; acknowledge one with who and a note.</summary>
public static class OwnAlertEndpoints
{
    public static RouteGroupBuilder MapOwnAlertEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("", List).RequireTwinRead(null).WithSummary("Open alerts, alarms first; all=true adds the recently cleared; under=id keeps a subtree's.")
            .ProducesProblem(404);
        group.MapPost("/{twinId}/acknowledge", Acknowledge).RequireTwinAcknowledge("alert.acknowledge", "twinId").WithSummary("Acknowledges the component's open alert at its current level.")
            .ProducesProblem(400).ProducesProblem(404);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<AlertDto>>> List(bool? all, string? under, HttpContext http, IGrainFactory grains)
    {
        var items = await grains.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).List(all == true);
        if (await ApiAccess.ReadableAsync(http) is { } readable)
        {
            items = [.. items.Where(a => readable.Contains(a.TwinId))];
        }

        if (under is not null)
        {
            _ = await grains.GetTwin(new TwinId(under)).Get() ?? throw TwinOperationException.TwinNotFound(under);
            var members = (await grains.GetQueries().Subtree(under)).Select(e => e.TwinId).ToHashSet(StringComparer.Ordinal);
            items = [.. items.Where(a => members.Contains(a.TwinId))];
        }

        return TypedResults.Ok((IReadOnlyList<AlertDto>)[.. items.Select(AlertDto.From)]);
    }

    private static async Task<Ok<AlertDto>> Acknowledge(string twinId, AcknowledgeRequest request, HttpContext http, IGrainFactory grains)
    {
        // Who acknowledged is the signed-in principal; a 'by' naming someone else (a shift log name) is kept beside it.
        var principal = ApiPrincipal.Of(http).Name;
        var by = string.IsNullOrWhiteSpace(request.By) || request.By == principal ? principal : $"{request.By} ({principal})";
        var alert = await grains.GetTwin(new TwinId(twinId)).AcknowledgeAlert(by, request.Note);
        return TypedResults.Ok(AlertDto.From(alert));
    }
}
