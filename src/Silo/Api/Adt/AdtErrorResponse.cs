namespace TwinCluster.Silo.Api.Adt;

/// <summary>Azure Digital Twins' error envelope: <c>{"error":{"code":…,"message":…}}</c>.</summary>
public sealed record AdtErrorResponse(AdtError Error);

/// <summary>A stable error code (<c>DigitalTwinNotFound</c>, <c>PreconditionFailed</c>, …), a message and itemised details.</summary>
public sealed record AdtError(string Code, string Message, IReadOnlyList<AdtError>? Details = null);
