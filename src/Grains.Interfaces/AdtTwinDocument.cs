namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A twin as the Azure Digital Twins API returns it (<c>$dtId</c>, <c>$etag</c>, <c>$metadata</c> and the
/// properties), already written as UTF-8 JSON, with the ETag it was written at. The twin keeps the last one it wrote
/// until it changes, so a read sends the same bytes without building them again. Never modified once made.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.AdtTwinDocument")]
public sealed record AdtTwinDocument(
    [property: Id(0)] string ETag,
    [property: Id(1)] byte[] Utf8);
