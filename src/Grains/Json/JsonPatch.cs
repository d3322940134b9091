using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Json;

/// <summary>
/// RFC 6902 JSON Patch over a twin's properties object: add, remove, replace, test, move and copy. The patch is applied
/// to a copy, so a failing operation leaves the original untouched; errors name the operation's index and path.
/// </summary>
public static class JsonPatch
{
    /// <summary>Returns the patched copy of <paramref name="target"/>.</summary>
    public static JsonObject Apply(JsonObject target, string patchJson)
    {
        JsonText.CheckSize(patchJson, "patch");
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(patchJson, documentOptions: new JsonDocumentOptions { MaxDepth = JsonText.MaxDepth });
        }
        catch (JsonException ex)
        {
            throw Invalid($"patch is not valid JSON: {ex.Message}");
        }

        if (parsed is not JsonArray operations)
        {
            throw Invalid("patch must be a JSON array of operations");
        }

        var document = (JsonObject)target.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw Invalid($"patch[{i}] must be an object");
            }

            var op = RequiredString(operation, "op", i);
            var path = RequiredString(operation, "path", i);
            switch (op)
            {
                case "add":
                    Add(document, path, RequiredValue(operation, i), i);
                    break;
                case "remove":
                    Remove(document, path, i);
                    break;
                case "replace":
                    Replace(document, path, RequiredValue(operation, i), i);
                    break;
                case "test":
                    var actual = Resolve(document, path, i);
                    if (!JsonNode.DeepEquals(actual, RequiredValue(operation, i)))
                    {
                        throw Invalid($"patch[{i}] test failed at '{path}'");
                    }

                    break;
                case "move":
                case "copy":
                    var from = RequiredString(operation, "from", i);
                    var value = Resolve(document, from, i)?.DeepClone();
                    if (op == "move")
                    {
                        if (path.StartsWith(from + "/", StringComparison.Ordinal))
                        {
                            throw Invalid($"patch[{i}] cannot move '{from}' into its own child '{path}'");
                        }

                        Remove(document, from, i);
                    }

                    Add(document, path, value, i);
                    break;
                default:
                    throw Invalid($"patch[{i}].op '{op}' is not one of add, remove, replace, test, move, copy");
            }
        }

        return document;
    }

    private static void Add(JsonObject document, string path, JsonNode? value, int index)
    {
        var (parent, key) = Parent(document, path, index);
        switch (parent)
        {
            case JsonObject obj:
                obj[key] = value;
                break;
            case JsonArray array:
                if (key == "-")
                {
                    array.Add(value);
                }
                else
                {
                    var position = ArrayIndex(key, array.Count + 1, path, index);
                    array.Insert(position, value);
                }

                break;
            default:
                throw Invalid($"patch[{index}] path '{path}': parent is not an object or array");
        }
    }

    // In place, so a replaced property keeps its position in the object.
    private static void Replace(JsonObject document, string path, JsonNode? value, int index)
    {
        var (parent, key) = Parent(document, path, index);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(key):
                obj[key] = value;
                break;
            case JsonArray array:
                array[ArrayIndex(key, array.Count, path, index)] = value;
                break;
            default:
                throw Invalid($"patch[{index}] path '{path}' does not exist");
        }
    }

    private static void Remove(JsonObject document, string path, int index)
    {
        var (parent, key) = Parent(document, path, index);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(key):
                obj.Remove(key);
                break;
            case JsonArray array:
                array.RemoveAt(ArrayIndex(key, array.Count, path, index));
                break;
            default:
                throw Invalid($"patch[{index}] path '{path}' does not exist");
        }
    }

    private static JsonNode? Resolve(JsonObject document, string path, int index)
    {
        JsonNode? current = document;
        foreach (var token in Tokens(path, index))
        {
            current = current switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array => array[ArrayIndex(token, array.Count, path, index)],
                _ => throw Invalid($"patch[{index}] path '{path}' does not exist"),
            };
        }

        return current;
    }

    private static (JsonNode Parent, string Key) Parent(JsonObject document, string path, int index)
    {
        var tokens = Tokens(path, index);
        if (tokens.Count == 0)
        {
            throw Invalid($"patch[{index}] path '' (the whole document) cannot be changed; name a property");
        }

        JsonNode? current = document;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = current switch
            {
                JsonObject obj when obj.TryGetPropertyValue(tokens[i], out var child) => child,
                JsonArray array => array[ArrayIndex(tokens[i], array.Count, path, index)],
                _ => throw Invalid($"patch[{index}] path '{path}' does not exist"),
            };
        }

        return (current ?? throw Invalid($"patch[{index}] path '{path}' goes through null"), tokens[^1]);
    }

    private static List<string> Tokens(string path, int index)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw Invalid($"patch[{index}] path '{path}' must start with '/'");
        }

        return [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static int ArrayIndex(string token, int count, string path, int index)
    {
        if (!int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)
            || position >= count || (token.Length > 1 && token[0] == '0'))
        {
            throw Invalid($"patch[{index}] path '{path}': '{token}' is not an index in an array of {count}");
        }

        return position;
    }

    private static string RequiredString(JsonObject operation, string member, int index) =>
        operation[member] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw Invalid($"patch[{index}].{member} is required and must be a string");

    private static JsonNode? RequiredValue(JsonObject operation, int index) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw Invalid($"patch[{index}].value is required for '{operation["op"]}'");

    private static TwinOperationException Invalid(string message) => new(TwinErrorCode.Invalid, message);
}
