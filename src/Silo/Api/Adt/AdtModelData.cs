using System.Text.Json.Nodes;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>A model as ADT lists it: id, display name by language, upload time, decommissioned, and the DTDL definition on request.</summary>
public sealed record AdtModelData(
    string Id,
    IReadOnlyDictionary<string, string>? DisplayName,
    DateTimeOffset UploadTime,
    bool Decommissioned,
    JsonNode? Model);

/// <summary>A page of models; <see cref="NextLink"/> is the URL of the next page, null on the last.</summary>
public sealed record AdtModelPage(IReadOnlyList<AdtModelData> Value, string? NextLink);

/// <summary>A page of relationships (outgoing or incoming); <see cref="NextLink"/> is null on the last.</summary>
public sealed record AdtPage<T>(IReadOnlyList<T> Value, string? NextLink);

/// <summary>An incoming relationship as ADT lists it.</summary>
public sealed record AdtIncomingRelationship(string RelationshipId, string SourceId, string RelationshipName, string RelationshipLink);

/// <summary>The body of <c>POST /query</c>.</summary>
public sealed record AdtQuerySpecification(string? Query, string? ContinuationToken);
