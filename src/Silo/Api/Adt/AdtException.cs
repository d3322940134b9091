namespace TwinCluster.Silo.Api.Adt;

/// <summary>A refusal on an ADT path, answered with ADT's envelope and status (see <see cref="AdtErrorFilter"/>).</summary>
public sealed class AdtException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static AdtException BadRequest(string message, string code = "InvalidArgument") => new(StatusCodes.Status400BadRequest, code, message);

    public static AdtException TwinNotFound(string id) => new(StatusCodes.Status404NotFound, "DigitalTwinNotFound", $"There is no digital twin instance that exists with the ID {id}.");

    public static AdtException RelationshipNotFound(string id, string relationshipId) =>
        new(StatusCodes.Status404NotFound, "RelationshipNotFound", $"Twin '{id}' has no relationship with ID {relationshipId}.");

    public static AdtException PreconditionFailed(string message) => new(StatusCodes.Status412PreconditionFailed, "PreconditionFailed", message);
}
