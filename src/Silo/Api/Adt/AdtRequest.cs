using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>Reading ADT request bodies and headers: bounded, parsed once, errors that name the field or position.</summary>
public static class AdtRequest
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    /// <summary>The body as text, at most <paramref name="max"/> bytes (413 beyond).</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            throw new AdtException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The request body is {request.ContentLength:N0} bytes; at most {max:N0} are accepted.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new AdtException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The request body is over {max:N0} bytes, the most accepted.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The body as JSON of the expected kind; malformed JSON is a 400 that says where, a body of another media type a 415.</summary>
    public static async Task<JsonNode> ReadJsonAsync(HttpRequest request, int max, JsonValueKind kind, CancellationToken cancellationToken)
    {
        // No Content-Type is read as JSON (some scripts send none); one that names another media type is refused unread.
        if (!string.IsNullOrEmpty(request.ContentType) && !request.HasJsonContentType())
        {
            throw UnsupportedMediaType(request, "application/json (a JSON Patch also as application/json-patch+json)");
        }

        var text = await ReadTextAsync(request, max, cancellationToken);
        return Parse(text, kind, "request body");
    }

    public static JsonNode Parse(string text, JsonValueKind kind, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: Options);
        }
        catch (JsonException ex)
        {
            throw AdtException.BadRequest($"The {what} is not valid JSON: {ex.Message}");
        }

        if (node is null || node.GetValueKind() != kind)
        {
            throw AdtException.BadRequest($"The {what} must be a JSON {(kind == JsonValueKind.Array ? "array" : "object")}, got {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}.");
        }

        return node;
    }

    /// <summary>A 415 that names the Content-Type sent and what the endpoint takes.</summary>
    public static AdtException UnsupportedMediaType(HttpRequest request, string expected) =>
        new(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", $"Content-Type '{request.ContentType}' is not accepted here; send the body as {expected}.");

    /// <summary>An If-Match value as the grains take it: the bare ETag, <c>*</c>, or null when absent.</summary>
    public static string? IfMatch(HttpRequest request) => BareETag(request.Headers[HeaderNames.IfMatch].ToString());

    /// <summary>True when the request says <c>If-None-Match: *</c> (create only); any other value is refused.</summary>
    public static bool IfNoneMatchAny(HttpRequest request)
    {
        var value = request.Headers[HeaderNames.IfNoneMatch].ToString().Trim();
        return value.Length == 0
            ? false
            : value == "*" ? true : throw AdtException.BadRequest($"If-None-Match accepts only '*', got '{value}'.");
    }

    public static string? BareETag(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text == "*")
        {
            return "*";
        }

        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        return text.Trim('"');
    }
}
