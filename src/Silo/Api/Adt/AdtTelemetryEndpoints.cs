using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Hosting;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Wire;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>
/// ADT's telemetry: <c>POST /digitaltwins/{id}/telemetry</c> enters the same ingress path as MQTT (decoded, checked
/// against the twin's model, logged, dead-lettered with a reason when refused). The body is ADT's object of telemetry
/// values; <c>Message-Id</c> carries the message's sequence number (as <c>seq</c> over MQTT) and
/// <c>Telemetry-Source-Time</c> its time (now when absent). A body already in TwinCluster's JSON format (with
/// <c>seq</c>, <c>ts</c> and <c>values</c>) is taken as it is.
/// </summary>
public static class AdtTelemetryEndpoints
{
    public static RouteGroupBuilder MapAdtTelemetryEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/{id}/telemetry", Publish).RequireTwinWrite(null).Accepts<JsonObject>("application/json")
            .WithSummary("Publishes telemetry through the ingress (Message-Id: the sequence number; Telemetry-Source-Time: the sample time).")
            .ProducesAdtErrors(400, 404, 409, 503);
        group.MapPost("/{id}/components/{name}/telemetry", PublishComponent).RequireTwinWrite(null).Accepts<JsonObject>("application/json")
            .WithSummary("Component telemetry: its channels are named '{component}/{channel}' on the twin, as over MQTT.").ProducesAdtErrors(400, 404, 409, 503);
        return group;
    }

    private static Task<NoContent> Publish(string id, HttpRequest request, IServiceProvider services, ApiOptions options, TimeProvider time, CancellationToken ct) =>
        PublishCore(id, null, request, services, options, time, ct);

    private static Task<NoContent> PublishComponent(string id, string name, HttpRequest request, IServiceProvider services, ApiOptions options, TimeProvider time, CancellationToken ct) =>
        PublishCore(id, name, request, services, options, time, ct);

    private static async Task<NoContent> PublishCore(string id, string? component, HttpRequest request, IServiceProvider services, ApiOptions options,
        TimeProvider time, CancellationToken ct)
    {
        var pipeline = services.GetService<IngressService>()?.Pipeline
            ?? throw new AdtException(StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "The ingress does not run in this silo (TwinCluster:Ingress:Enabled is false).");
        if (TwinId.Check(id) is { } problem)
        {
            throw AdtException.BadRequest(problem);
        }

        var body = (JsonObject)await AdtRequest.ReadJsonAsync(request, options.MaxBodyBytes, JsonValueKind.Object, ct);
        var payload = body.ContainsKey("seq") && body.ContainsKey("values") && component is null ? body : Wrap(body, component, request, time);
        var topic = TelemetryTopic.Format(new TwinId(id), TopicKind.Telemetry);
        var verdict = await await pipeline.SubmitAsync(new InboundMessage(topic, Encoding.UTF8.GetBytes(payload.ToJsonString()), ContentTypes.Json, time.GetUtcNow()), ct);
        switch (verdict)
        {
            case IngressVerdict.Accepted:
                return TypedResults.NoContent();
            case IngressVerdict.Duplicate:
                throw new AdtException(StatusCodes.Status409Conflict, "DuplicateMessage", $"Message {payload["seq"]} of twin {id} was accepted before (dead-lettered as duplicate-seq).");
            default:
                var letters = await services.GetRequiredService<IGrainFactory>().GetGrain<IDeadLetterGrain>(0).List(id, null, 1, null);
                var reason = letters.Items.FirstOrDefault() is { } letter ? $"{letter.Reason}: {letter.Message}" : "refused";
                var status = reason.StartsWith("unknown-twin", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
                throw new AdtException(status, status == 404 ? "DigitalTwinNotFound" : "ValidationFailed", $"Telemetry refused and dead-lettered: {reason}");
        }
    }

    private static JsonObject Wrap(JsonObject values, string? component, HttpRequest request, TimeProvider time)
    {
        var messageId = request.Headers["Message-Id"].ToString();
        if (!long.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            throw AdtException.BadRequest($"Message-Id '{messageId}' must be the message's sequence number (a whole number, increasing per twin).");
        }

        var sourceTime = request.Headers["Telemetry-Source-Time"].ToString();
        DateTimeOffset ts;
        if (sourceTime.Length == 0)
        {
            ts = time.GetUtcNow();
        }
        else if (!DateTimeOffset.TryParse(sourceTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out ts))
        {
            throw AdtException.BadRequest($"Telemetry-Source-Time '{sourceTime}' is not an ISO 8601 date-time.");
        }

        var renamed = new JsonObject();
        foreach (var (name, value) in values)
        {
            // A component's telemetry is the channel 'component/name' on the wire (TelemetryNames), as over MQTT.
            renamed[component is null ? name : component + "/" + name] = value?.DeepClone();
        }

        return new JsonObject { ["seq"] = seq, ["ts"] = ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), ["values"] = renamed };
    }
}
