namespace TwinCluster.Modeling.Parsing;

internal sealed partial class Reader
{
    /// <summary>
    /// The cross-element limits of the Annotation and Overriding tables, checked once inheritance is resolved:
    /// <c>annotates</c> names a sibling Property or Telemetry (inherited ones count), <c>overrides</c> names an
    /// extension property of that element, and the overriding Property's schema is that property's type (for
    /// <c>unit</c>: the unit type of the annotated element's semantic type).
    /// </summary>
    private void CheckAnnotations(InterfaceModel model, string? source)
    {
        foreach (var content in model.OwnContents)
        {
            if (content.Annotates is not { } annotated)
            {
                continue;
            }

            var path = Prop(content.Path, "annotates");
            if (!model.Contents.TryGetValue(annotated, out var target) || target is not (PropertyModel or TelemetryModel) || ReferenceEquals(target, content))
            {
                _s.ErrorAt("annotation.target", path, source, $"'{content.Name}' annotates '{Clip(annotated)}', which is not {(ReferenceEquals(target, content) ? "another" : "a")} Property or Telemetry of Interface '{model.Id}' (dtmi:dtdl:extension:annotation;1 ValueAnnotation table: 'annotates' must match the name property of a sibling element).");
                continue;
            }

            if (content is PropertyModel { Overrides: { } overridden } property)
            {
                CheckOverride(property, target, overridden, source);
            }
        }
    }

    private void CheckOverride(PropertyModel property, ContentModel target, string overridden, string? source)
    {
        var path = Prop(property.Path, "overrides");
        var (semanticType, unit) = target switch
        {
            PropertyModel p => (p.SemanticType, p.Unit),
            TelemetryModel t => (t.SemanticType, t.Unit),
            _ => (null, null),
        };
        const string rule = "dtmi:dtdl:extension:overriding;1 Override table: 'overrides' must match an extension property of the sibling element identified by the annotates property";
        Schema? expected;
        string expectedText;
        if (overridden == "unit" && unit is not null && semanticType is not null && UnitTables.Quantitative.TryGetValue(semanticType, out var entry))
        {
            var unitType = entry.UnitType;
            expected = UnitTypeSchema(unitType);
            expectedText = $"'{unitType}', the unit type of '{semanticType}'";
        }
        else if (overridden != "unit" && target.ExtensionProperties.TryGetValue(overridden, out var value))
        {
            expected = value switch
            {
                int => PrimitiveSchema.Of(PrimitiveKind.Integer),
                bool => PrimitiveSchema.Of(PrimitiveKind.Boolean),
                string s when IsDuration(s) && AdjunctDataType(target, overridden) == SpecTables.ValueKind.Duration => PrimitiveSchema.Of(PrimitiveKind.Duration),
                _ => PrimitiveSchema.String,
            };
            expectedText = $"'{expected.Describe()}', the type of '{overridden}'";
        }
        else
        {
            _s.ErrorAt("override.target", path, source, $"Property '{property.Name}' overrides '{Clip(overridden)}', but '{target.Name}' has no such extension property{(overridden == "unit" ? " (it has no semantic type and unit)" : string.Empty)} ({rule}).");
            return;
        }

        if (!ReferenceEquals(property.Schema, expected) && property.Schema.Describe() != expected?.Describe())
        {
            _s.ErrorAt("override.schema", Prop(property.Path, "schema"), source, $"Property '{property.Name}' overrides '{overridden}' of '{target.Name}', so its schema must be {expectedText}, not {property.Schema.Describe()} (dtmi:dtdl:extension:overriding;1: the schema of the overriding Property must match the schema type of the overridden property).");
        }
    }

    private static SpecTables.ValueKind AdjunctDataType(ContentModel target, string property)
    {
        foreach (var coType in target.CoTypes)
        {
            if (SpecTables.Adjuncts.TryGetValue(coType, out var adjunct) && adjunct.Properties.FirstOrDefault(r => r.Name == property) is { } rule)
            {
                return rule.Kind;
            }
        }

        return SpecTables.ValueKind.Other;
    }
}
