using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>
/// Reported properties arrive as a JSON object of property values (<c>{"firmware": "2.1", "serialNumber": "X"}</c>);
/// the twin takes them as one JSON Patch of <c>add</c> operations (add sets a member whether or not it exists), so
/// they are checked against the model and written all or nothing.
/// </summary>
public static class ReportedProperties
{
    /// <summary>The JSON Patch for a reported-properties object; throws <see cref="JsonException"/> when it is not one.</summary>
    public static string ToPatch(ReadOnlySpan<byte> json) =>
        Split(json).Patch ?? throw new JsonException("the object has no properties");

    /// <summary>
    /// Splits a reported-properties object into the JSON Patch of its plain values (null when there are none) and the
    /// acknowledgements of desired properties among them: members shaped <c>{"value": …, "ac": 200, "av": 7, "ad": "…"}</c>
    /// (IoT Plug and Play). Throws <see cref="JsonException"/> when it is not an object, has no members, or an
    /// acknowledgement's <c>ac</c> or <c>av</c> is not a whole number.
    /// </summary>
    public static (string? Patch, ImmutableArray<DesiredAck> Acks) Split(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"got a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }

        var acks = ImmutableArray.CreateBuilder<DesiredAck>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (AsAck(property) is { } ack)
            {
                acks.Add(ack);
            }
        }

        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartArray();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (IsAck(property.Value))
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("op", "add");
                // RFC 6901 escaping of the member name.
                writer.WriteString("path", "/" + property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
                writer.WritePropertyName("value");
                property.Value.WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (output.WrittenCount == 2 && acks.Count == 0)
        {
            throw new JsonException("the object has no properties");
        }

        return (output.WrittenCount == 2 ? null : System.Text.Encoding.UTF8.GetString(output.WrittenSpan), acks.ToImmutable());
    }

    private static bool IsAck(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("ac", out _) && value.TryGetProperty("av", out _);

    private static DesiredAck? AsAck(JsonProperty property)
    {
        if (!IsAck(property.Value))
        {
            return null;
        }

        var value = property.Value;
        var ac = value.GetProperty("ac");
        var av = value.GetProperty("av");
        if (ac.ValueKind != JsonValueKind.Number || av.ValueKind != JsonValueKind.Number || !ac.TryGetInt32(out var status) || !av.TryGetInt64(out var version))
        {
            throw new JsonException($"the acknowledgement of '{property.Name}' needs whole numbers in 'ac' (status) and 'av' (version)");
        }

        var description = value.TryGetProperty("ad", out var ad) && ad.ValueKind == JsonValueKind.String ? ad.GetString() : null;
        var reported = value.TryGetProperty("value", out var v) ? v.GetRawText() : null;
        return new DesiredAck(property.Name, reported, status, version, description);
    }
}
