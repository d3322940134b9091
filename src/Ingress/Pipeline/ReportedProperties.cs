using System.Buffers;
using System.Text.Json;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>
/// Reported properties arrive as a JSON object of property values (<c>{"firmware": "2.1", "serialNumber": "X"}</c>);
/// the twin takes them as one JSON Patch of <c>add</c> operations (add sets a member whether or not it exists), so
/// they are checked against the model and written all or nothing.
/// </summary>
public static class ReportedProperties
{
    /// <summary>The JSON Patch for a reported-properties object; throws <see cref="JsonException"/> when it is not one.</summary>
    public static string ToPatch(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"got a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }

        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartArray();
            foreach (var property in document.RootElement.EnumerateObject())
            {
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

        if (output.WrittenCount == 2)
        {
            throw new JsonException("the object has no properties");
        }

        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
