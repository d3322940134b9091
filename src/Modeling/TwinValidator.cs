using System.Text.Json;

namespace TwinCluster.Modeling;

/// <summary>Validates twin property documents, relationships and telemetry against their interface models.</summary>
public static class TwinValidator
{
    /// <summary>
    /// Checks a twin's property values (and component objects) against <paramref name="model"/>. Members whose name starts
    /// with '$' (metadata) are ignored. Returns an empty list when valid.
    /// </summary>
    /// <param name="model">The twin's interface.</param>
    /// <param name="models">The model set that resolves component interfaces.</param>
    /// <param name="properties">A JSON object of property values and component objects.</param>
    /// <param name="allowReadOnly">False to reject values for properties that are not writable (a client write).</param>
    public static IReadOnlyList<ModelError> ValidateProperties(InterfaceModel model, ModelSet models, JsonElement properties, bool allowReadOnly = true) =>
        ValidateProperties(model, models, properties, allowReadOnly, requireComponents: false);

    /// <summary>
    /// As <see cref="ValidateProperties(InterfaceModel, ModelSet, JsonElement, bool)"/>; with <paramref name="requireComponents"/>
    /// every component of the interface must be present as an object (the full twin document at creation).
    /// </summary>
    public static IReadOnlyList<ModelError> ValidateProperties(InterfaceModel model, ModelSet models, JsonElement properties, bool allowReadOnly, bool requireComponents)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(models);
        var errors = new List<ModelError>();
        ValidateObject(model, models, properties, "$", allowReadOnly, requireComponents, errors, inComponent: false);
        return errors;
    }

    private static void ValidateObject(InterfaceModel model, ModelSet models, JsonElement properties, string path, bool allowReadOnly,
        bool requireComponents, List<ModelError> errors, bool inComponent)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ModelError("property.type", $"Expected a JSON object of property values for '{model.Id}', got {ValueValidator.Show(properties)}.", path));
            return;
        }

        foreach (var member in properties.EnumerateObject())
        {
            var name = member.Name;
            if (name.StartsWith('$'))
            {
                continue;
            }

            var mpath = ValueValidator.Child(path, name);
            if (model.Properties.TryGetValue(name, out var property))
            {
                if (!allowReadOnly && !property.Writable)
                {
                    errors.Add(new ModelError("property.readonly", $"Property '{name}' of '{model.Id}' is read-only (not writable).", mpath));
                    continue;
                }

                ValueValidator.Validate(property.Schema, member.Value, mpath, "property.type", errors);
                continue;
            }

            if (!inComponent && model.Components.TryGetValue(name, out var component))
            {
                var schema = models.Find(component.SchemaId);
                if (schema is null)
                {
                    errors.Add(new ModelError("component.model", $"Component '{name}' uses interface '{component.SchemaId}', which is not in the model set.", mpath));
                    continue;
                }

                if (member.Value.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new ModelError("component.type", $"Component '{name}' must be a JSON object, got {ValueValidator.Show(member.Value)}.", mpath));
                    continue;
                }

                ValidateObject(schema, models, member.Value, mpath, allowReadOnly, requireComponents, errors, inComponent: true);
                continue;
            }

            var kind = model.Contents.TryGetValue(name, out var other) ? $" ('{name}' is a {Kind(other)}, not a property)" : string.Empty;
            errors.Add(new ModelError("property.unknown", $"'{name}' is not a property of '{model.Id}'{kind}.", mpath));
        }

        if (requireComponents && !inComponent)
        {
            foreach (var name in model.Components.Keys)
            {
                if (!properties.TryGetProperty(name, out _))
                {
                    errors.Add(new ModelError("component.missing", $"Component '{name}' of '{model.Id}' is missing; a twin must contain every component as an object.", ValueValidator.Child(path, name)));
                }
            }
        }
    }

    private static string Kind(ContentModel content) => content switch
    {
        TelemetryModel => "telemetry",
        CommandModel => "command",
        RelationshipModel => "relationship",
        ComponentModel => "component",
        _ => "property",
    };

    /// <summary>
    /// Checks a new relationship instance: the name must be a relationship of <paramref name="source"/>, the target twin's model
    /// must be the relationship's target or extend it, and the count must stay within maxMultiplicity.
    /// </summary>
    /// <param name="source">The source twin's interface.</param>
    /// <param name="models">The model set, used for the subtype test.</param>
    /// <param name="relationshipName">The relationship name.</param>
    /// <param name="targetModelId">The target twin's model DTMI; null skips the target check.</param>
    /// <param name="existingCountWithName">How many relationships with this name the source twin already has (excluding this one).</param>
    public static IReadOnlyList<ModelError> ValidateRelationship(InterfaceModel source, ModelSet models, string relationshipName, string? targetModelId, int existingCountWithName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(models);
        var path = ValueValidator.Child("$", relationshipName ?? string.Empty);
        if (relationshipName is null || !source.Relationships.TryGetValue(relationshipName, out var relationship))
        {
            return [new ModelError("relationship.unknown", $"'{relationshipName}' is not a relationship of '{source.Id}'.", path)];
        }

        var errors = new List<ModelError>();
        if (relationship.Target is not null && targetModelId is not null && !models.IsSubtypeOf(targetModelId, relationship.Target))
        {
            errors.Add(new ModelError("relationship.target", $"Relationship '{relationshipName}' of '{source.Id}' must target '{relationship.Target}' or a model extending it; '{targetModelId}' does not.", path));
        }

        if (relationship.MaxMultiplicity is { } max && existingCountWithName + 1 > max)
        {
            errors.Add(new ModelError("relationship.multiplicity", $"Relationship '{relationshipName}' of '{source.Id}' allows at most {max} instance(s); {existingCountWithName} already exist.", path));
        }

        return errors;
    }

    /// <summary>Checks the properties carried by a relationship instance against the relationship's declared properties.</summary>
    public static IReadOnlyList<ModelError> ValidateRelationshipProperties(RelationshipModel relationship, JsonElement properties, bool allowReadOnly = true)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        var errors = new List<ModelError>();
        if (properties.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ModelError("property.type", $"Expected a JSON object of relationship properties, got {ValueValidator.Show(properties)}.", "$"));
            return errors;
        }

        foreach (var member in properties.EnumerateObject())
        {
            var mpath = ValueValidator.Child("$", member.Name);
            if (member.Name.StartsWith('$'))
            {
                continue;
            }

            if (!relationship.Properties.TryGetValue(member.Name, out var property))
            {
                errors.Add(new ModelError("property.unknown", $"'{member.Name}' is not a property of relationship '{relationship.Name}'.", mpath));
            }
            else if (!allowReadOnly && !property.Writable)
            {
                errors.Add(new ModelError("property.readonly", $"Property '{member.Name}' of relationship '{relationship.Name}' is read-only.", mpath));
            }
            else
            {
                ValueValidator.Validate(property.Schema, member.Value, mpath, "property.type", errors);
            }
        }

        return errors;
    }

    /// <summary>
    /// The unit of a Property or Telemetry for one twin: the twin's value of the Property that overrides its unit
    /// (ValueAnnotation + Override with <c>overrides: unit</c>) when the twin has one, else the model's unit.
    /// </summary>
    public static string? EffectiveUnit(InterfaceModel model, ContentModel content, JsonElement? twinProperties)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(content);
        var modelUnit = content switch
        {
            TelemetryModel t => t.Unit,
            PropertyModel p => p.Unit,
            _ => null,
        };
        if (twinProperties is not { ValueKind: JsonValueKind.Object } twin || model.OverrideOf(content.Name) is not { } overriding)
        {
            return modelUnit;
        }

        return twin.TryGetProperty(overriding.Name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : modelUnit;
    }

    private static JsonElement? ComponentObject(JsonElement? twinProperties, string component) =>
        twinProperties is { ValueKind: JsonValueKind.Object } twin && component.Length > 0 && twin.TryGetProperty(component, out var obj) ? obj : null;

    /// <summary>
    /// Checks one telemetry value: <paramref name="name"/> must be a telemetry of <paramref name="model"/> (or
    /// "component/telemetry" for a component's), the value must match its schema, and a given unit must equal the modelled unit.
    /// </summary>
    /// <param name="model">The twin's interface.</param>
    /// <param name="models">The model set that resolves component interfaces.</param>
    /// <param name="name">The telemetry name, or "component/telemetry".</param>
    /// <param name="value">The telemetry value.</param>
    /// <param name="unit">The unit the sender states, or null.</param>
    /// <param name="twinProperties">
    /// The twin's property document, or null: where a Property co-typed ValueAnnotation and Override (Overriding
    /// extension) overrides the telemetry's <c>unit</c> and the twin has a value for it, a stated unit must equal that value.
    /// </param>
    public static IReadOnlyList<ModelError> ValidateTelemetry(InterfaceModel model, ModelSet models, string name, JsonElement value, string? unit = null, JsonElement? twinProperties = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(name);
        var path = ValueValidator.Child("$", name);
        var owner = model;
        var telemetryName = name;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && model.Components.TryGetValue(name[..slash], out var component) && models.Find(component.SchemaId) is { } componentModel)
        {
            owner = componentModel;
            telemetryName = name[(slash + 1)..];
        }

        if (!owner.Telemetry.TryGetValue(telemetryName, out var telemetry))
        {
            return [new ModelError("telemetry.unknown", $"'{name}' is not a telemetry of '{model.Id}'.", path)];
        }

        var errors = new List<ModelError>();
        ValueValidator.Validate(telemetry.Schema, value, path, "telemetry.type", errors);
        var expected = EffectiveUnit(owner, telemetry, owner == model ? twinProperties : ComponentObject(twinProperties, name[..Math.Max(slash, 0)]));
        if (unit is not null && !string.Equals(unit, expected, StringComparison.Ordinal))
        {
            errors.Add(new ModelError("telemetry.unit", expected is null
                ? $"Telemetry '{name}' of '{model.Id}' has no unit in its model, but '{unit}' was given."
                : $"Telemetry '{name}' of '{model.Id}' is in '{expected}'{(expected == telemetry.Unit ? string.Empty : $" (the twin overrides the model's '{telemetry.Unit}')")}, not '{unit}'.", path));
        }

        return errors;
    }
}
