using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Json;

/// <summary>Parsing of user JSON into canonical compact text, with errors that say what is wrong.</summary>
public static class JsonText
{
    /// <summary>The deepest nesting accepted in property documents.</summary>
    public const int MaxDepth = 32;

    /// <summary>The longest properties document (or patch) accepted, in characters.</summary>
    public const int MaxLength = 256 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    /// <summary>Parses a JSON object; throws an Invalid <see cref="TwinOperationException"/> naming <paramref name="what"/>.</summary>
    public static JsonObject ParseObject(string? json, string what)
    {
        CheckSize(json, what);
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, NodeOptions, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"{what} is not valid JSON: {ex.Message}");
        }

        return node as JsonObject
            ?? throw new TwinOperationException(TwinErrorCode.Invalid, $"{what} must be a JSON object, not {Describe(node)}");
    }

    /// <summary>
    /// Parses a JSON object once for validation and returns it with its compact text (whitespace removed, members as
    /// given). Throws an Invalid <see cref="TwinOperationException"/> naming <paramref name="what"/>.
    /// </summary>
    public static (JsonDocument Document, string Compact) ParseObjectDocument(string? json, string what)
    {
        CheckSize(json, what);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"{what} is not valid JSON: {ex.Message}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new TwinOperationException(TwinErrorCode.Invalid, $"{what} must be a JSON object, not {kind.ToString().ToLowerInvariant()}");
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(json?.Length ?? 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.RootElement.WriteTo(writer);
        }

        return (document, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Refuses a document longer than <see cref="MaxLength"/> characters, naming it.</summary>
    public static void CheckSize(string? json, string what)
    {
        if (json is { Length: > MaxLength })
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"{what} is {json.Length:N0} characters; at most {MaxLength:N0} are accepted");
        }
    }

    /// <summary>Compact canonical text of a node.</summary>
    public static string Write(JsonNode node) => node.ToJsonString();

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonValue value => $"a {value.GetValueKind().ToString().ToLowerInvariant()}",
        _ => "something else",
    };
}
