using System.Text.Json;

namespace TwinCluster.Modeling;

/// <summary>Checks command payloads and writable-property values against a twin's model (DTDL Command, writable Property).</summary>
public static class CommandValidator
{
    /// <summary>The command named <paramref name="name"/> of <paramref name="model"/> (or of one of its components, as <c>component/command</c>), or null.</summary>
    public static CommandModel? Find(InterfaceModel model, ModelSet? models, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(name);
        if (model.Commands.TryGetValue(name, out var command))
        {
            return command;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && models is not null && model.Components.TryGetValue(name[..slash], out var component)
            && models.Find(component.SchemaId) is { } inner && inner.Commands.TryGetValue(name[(slash + 1)..], out var nested)
            ? nested : null;
    }

    /// <summary>
    /// Checks a request payload (null: none given) against the command's request schema; the errors name the field
    /// (<c>$.request.maxPowerKW</c>).
    /// </summary>
    public static IReadOnlyList<ModelError> ValidateRequest(CommandModel command, JsonElement? payload) =>
        Validate(command.Request, payload, "$.request", "command.request", command.Name);

    /// <summary>Checks a device's response payload (null: empty) against the command's response schema.</summary>
    public static IReadOnlyList<ModelError> ValidateResponse(CommandModel command, JsonElement? payload) =>
        Validate(command.Response, payload, "$.response", "command.response", command.Name);

    /// <summary>The writable properties of <paramref name="model"/> by name.</summary>
    public static IEnumerable<PropertyModel> WritableProperties(InterfaceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Properties.Values.Where(p => p.Writable);
    }

    private static List<ModelError> Validate(CommandPayloadModel? schema, JsonElement? payload, string path, string code, string command)
    {
        var errors = new List<ModelError>();
        var absent = payload is null || payload.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;
        if (schema is null)
        {
            if (!absent)
            {
                errors.Add(new ModelError(code + ".unexpected", $"Command '{command}' takes no {(code.EndsWith("request", StringComparison.Ordinal) ? "request" : "response")} payload, but one was given.", path));
            }

            return errors;
        }

        if (absent)
        {
            if (!schema.Nullable)
            {
                errors.Add(new ModelError(code + ".missing", $"Command '{command}' needs a '{schema.Name}' payload ({Describe(schema.Schema)}).", path));
            }

            return errors;
        }

        ValueValidator.Validate(schema.Schema, payload!.Value, path, code + ".type", errors);
        return errors;
    }

    private static string Describe(Schema schema) => schema switch
    {
        PrimitiveSchema p => p.Term,
        ObjectSchema o => "an object with " + string.Join(", ", o.Fields.Select(f => f.Name)),
        _ => schema.GetType().Name.Replace("Schema", "", StringComparison.Ordinal).ToLowerInvariant(),
    };
}
