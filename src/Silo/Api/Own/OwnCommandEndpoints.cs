using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Silo.Api.Auth;
using TwinCluster.Wire;

namespace TwinCluster.Silo.Api.Own;

/// <summary>
/// <c>/api/v1/twins/{id}/commands</c> and <c>/desired</c>: send a DTDL command to the twin's device and wait for its
/// answer; read the desired properties with what the device reported and acknowledged. Desired values themselves are
/// set with the ordinary property patch (<c>PATCH /digitaltwins/{id}</c>) of a writable property.
/// </summary>
public static class OwnCommandEndpoints
{
    public static RouteGroupBuilder MapOwnCommandEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/{twinId}/commands/{name}", Invoke).RequireTwinWrite("command.invoke", "twinId")
            .WithSummary("Sends a command (the body is its request payload) and waits up to timeout seconds (default 10, at most 25) for the device's answer. " +
                "200 answered; 409 refused by the device; 503 offline or no relay; 504 timed out (or, for a queued command asked again by id, expired); 502 invalid response; id=… makes a retry answer once; queueFor=… seconds lets the broker keep it for a device session that is kept but not connected, and an answer by then shows in GET …/commands.")
            .Accepts<System.Text.Json.JsonElement>("application/json")
            .ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/{twinId}/commands", Recent).RequireTwinRead("twinId").WithSummary("The twin's latest commands and outcomes, newest first (since its activation).").ProducesProblem(404);
        group.MapGet("/{twinId}/desired", Desired).RequireTwinRead("twinId").WithSummary("Desired properties: desired value and version, reported value, acknowledgement (pending, accepted, refused, stale).")
            .ProducesProblem(404);
        return group;
    }

    private static async Task<IResult> Invoke(string twinId, string name, double? timeout, string? id, double? queueFor, HttpRequest request, IGrainFactory grains)
    {
        string? payload;
        using (var reader = new StreamReader(request.Body))
        {
            payload = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        }

        var options = new CommandOptions(Seconds(timeout, "timeout") ?? CommandOptions.DefaultTimeout, id, Seconds(queueFor, "queueFor"));
        var result = await grains.GetTwin(new TwinId(twinId)).InvokeCommand(name, string.IsNullOrWhiteSpace(payload) ? null : payload, options);
        var status = result.Outcome switch
        {
            CommandOutcome.Answered => StatusCodes.Status200OK,
            CommandOutcome.Refused => StatusCodes.Status409Conflict,
            CommandOutcome.TimedOut or CommandOutcome.Expired => StatusCodes.Status504GatewayTimeout,
            CommandOutcome.InvalidResponse => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        return TypedResults.Json(CommandResultDto.From(result), statusCode: status);
    }

    private static async Task<Ok<IReadOnlyList<CommandResultDto>>> Recent(string twinId, IGrainFactory grains)
    {
        var twin = grains.GetTwin(new TwinId(twinId));
        _ = await twin.Get() ?? throw TwinOperationException.TwinNotFound(twinId);
        return TypedResults.Ok((IReadOnlyList<CommandResultDto>)[.. (await twin.GetCommands()).Select(CommandResultDto.From)]);
    }

    private static async Task<Ok<DesiredViewDto>> Desired(string twinId, IGrainFactory grains) =>
        TypedResults.Ok(DesiredViewDto.From(await grains.GetTwin(new TwinId(twinId)).GetDesired()));

    private static TimeSpan? Seconds(double? value, string field) => value switch
    {
        null => null,
        > 0 and <= 86_400 => TimeSpan.FromSeconds(value.Value),
        _ => throw new TwinOperationException(TwinErrorCode.Invalid, $"{field} {value.Value.ToString(CultureInfo.InvariantCulture)} must be a number of seconds above 0"),
    };
}
