using System.Text.Json;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Silo.Api.Own;

/// <summary>A command's outcome on the wire: <c>outcome</c> (answered, refused, offline, timedOut, invalidResponse, unavailable), the device's status and payload.</summary>
public sealed record CommandResultDto(string TwinId, string CommandId, string Name, CommandOutcome Outcome, int? Status, JsonElement? Payload,
    string? Message, DateTimeOffset RequestedAt, DateTimeOffset CompletedAt, double LatencyMs)
{
    public static CommandResultDto From(CommandResult r) => new(r.TwinId, r.CommandId, r.Name, r.Outcome, r.Status,
        r.PayloadJson is null ? null : JsonDocument.Parse(r.PayloadJson).RootElement.Clone(), r.Message, r.RequestedAt, r.CompletedAt,
        (r.CompletedAt - r.RequestedAt).TotalMilliseconds);
}

/// <summary>One writable property: desired value and version, the device's reported value, and the acknowledgement.</summary>
public sealed record DesiredPropertyDto(string Name, JsonElement Desired, long Version, DateTimeOffset SetAt, DesiredAckState State,
    JsonElement? Reported, int? AckStatus, long? AckVersion, string? AckDescription, DateTimeOffset? AckedAt)
{
    public static DesiredPropertyDto From(DesiredProperty p) => new(p.Name, Parse(p.DesiredJson)!.Value, p.Version, p.SetAt, p.State,
        Parse(p.ReportedJson), p.AckStatus, p.AckVersion, p.AckDescription, p.AckedAt);

    internal static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

/// <summary>A twin's desired properties: the document version, whether the broker has it, and each property.</summary>
public sealed record DesiredViewDto(string TwinId, long Version, bool Pushed, IReadOnlyList<DesiredPropertyDto> Properties)
{
    public static DesiredViewDto From(DesiredView v) => new(v.TwinId, v.Version, v.Pushed, [.. v.Properties.Select(DesiredPropertyDto.From)]);
}
