using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Json;

/// <summary>Parsing of user JSON into canonical compact text, with errors that say what is wrong.</summary>
public static class JsonText
{
    /// <summary>The deepest nesting accepted in property documents.</summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    /// <summary>Parses a JSON object; throws an Invalid <see cref="TwinOperationException"/> naming <paramref name="what"/>.</summary>
    public static JsonObject ParseObject(string? json, string what)
    {
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

    /// <summary>Compact canonical text of a node.</summary>
    public static string Write(JsonNode node) => node.ToJsonString();

    /// <summary>Parses a JSON value (any kind) with the depth limit.</summary>
    public static JsonDocument ParseDocument(string json) => JsonDocument.Parse(json, DocumentOptions);

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonValue value => $"a {value.GetValueKind().ToString().ToLowerInvariant()}",
        _ => "something else",
    };
}
