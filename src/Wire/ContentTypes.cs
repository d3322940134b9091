namespace TwinCluster.Wire;

/// <summary>The MQTT 5 content types that select a payload format.</summary>
public static class ContentTypes
{
    /// <summary>JSON telemetry (<see cref="JsonTelemetryCodec"/>).</summary>
    public const string Json = "application/json";

    /// <summary>The binary block, version 1 (<see cref="BinaryTelemetryCodec"/>).</summary>
    public const string BinaryBlock = "application/vnd.twincluster.block.v1";

    /// <summary>
    /// The format named by <paramref name="contentType"/>: media type compared case-insensitively, parameters such as
    /// <c>; charset=utf-8</c> ignored. Null or blank gives null (sniff the payload); an unknown type gives false.
    /// </summary>
    public static bool TryGetFormat(string? contentType, out WireFormat? format)
    {
        format = null;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var media = contentType.AsSpan();
        var semicolon = media.IndexOf(';');
        if (semicolon >= 0)
        {
            media = media[..semicolon];
        }

        media = media.Trim();
        if (media.Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            format = WireFormat.Json;
            return true;
        }

        if (media.Equals(BinaryBlock, StringComparison.OrdinalIgnoreCase))
        {
            format = WireFormat.Binary;
            return true;
        }

        return false;
    }
}
