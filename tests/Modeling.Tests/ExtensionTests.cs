using System.Text.Json;

namespace TwinCluster.Modeling.Tests;

/// <summary>
/// The DTDL v3 extensions as their documents describe them (QuantitativeTypes, Historization, Annotation, Overriding,
/// Mqtt, each version 1), one at a time and combined on one element, with valid and invalid uses written from the text.
/// </summary>
public sealed class ExtensionTests
{
    private const string Q = "\"dtmi:dtdl:extension:quantitativeTypes;1\"";
    private const string H = "\"dtmi:dtdl:extension:historization;1\"";
    private const string A = "\"dtmi:dtdl:extension:annotation;1\"";
    private const string O = "\"dtmi:dtdl:extension:overriding;1\"";
    private const string M = "\"dtmi:dtdl:extension:mqtt;1\"";

    private static string Doc(string contexts, string contents, string id = "dtmi:test:Sensor;1", string type = "\"Interface\"", string extra = "") =>
        $$"""{ "@context": ["dtmi:dtdl:context;3", {{contexts}}], "@id": "{{id}}", "@type": {{type}}{{extra}}, "contents": [{{contents}}] }""";

    // ---- QuantitativeTypes ---------------------------------------------------------------------------------

    [Fact]
    public void Semantic_types_co_type_telemetry_fields_map_values_and_command_payloads()
    {
        var models = Dtdl.Valid(Doc(Q, """
            { "@type": ["Telemetry", "Temperature"], "name": "thermometer", "schema": "double", "unit": "degreeCelsius" },
            { "@type": "Telemetry", "name": "multimeter", "schema": { "@type": "Object", "fields": [
                { "@type": ["Field", "Pressure"], "name": "barometer", "schema": "double", "unit": "millibar" } ] } },
            { "@type": "Property", "name": "levels", "schema": { "@type": "Map", "mapKey": { "name": "tank", "schema": "string" },
                "mapValue": { "@type": ["MapValue", "Volume"], "name": "level", "schema": "double", "unit": "litre" } } },
            { "@type": "Command", "name": "heat",
              "request": { "@type": ["CommandRequest", "Temperature"], "name": "target", "schema": "double", "unit": "kelvin" },
              "response": { "@type": ["CommandResponse", "TimeSpan"], "name": "eta", "schema": "integer", "unit": "second" } }
            """));
        var sensor = models.Find("dtmi:test:Sensor;1")!;
        Assert.Equal("kelvin", sensor.Commands["heat"].Request!.Unit);
        Assert.Equal("TimeSpan", sensor.Commands["heat"].Response!.SemanticType);
    }

    [Fact]
    public void A_semantic_type_on_a_command_itself_or_a_map_key_is_refused()
    {
        Dtdl.Invalid("type.irrelevant", Doc(Q, """{ "@type": ["Command", "Temperature"], "name": "heat", "unit": "kelvin" }"""));
        Dtdl.Invalid("type.irrelevant", Doc(Q, """
            { "@type": "Property", "name": "m", "schema": { "@type": "Map",
              "mapKey": { "@type": ["MapKey", "Length"], "name": "k", "schema": "string", "unit": "metre" },
              "mapValue": { "name": "v", "schema": "double" } } }
            """));
    }

    [Fact]
    public void A_semantic_type_on_a_command_request_needs_a_unit_of_its_type_and_a_numeric_schema()
    {
        Dtdl.Invalid("unit.invalid", Doc(Q, """{ "@type": "Command", "name": "heat", "request": { "@type": ["CommandRequest", "Temperature"], "name": "t", "schema": "double", "unit": "metre" } }"""));
        Dtdl.Invalid("semanticType.schema", Doc(Q, """{ "@type": "Command", "name": "heat", "response": { "@type": ["CommandResponse", "Temperature"], "name": "t", "schema": "string", "unit": "kelvin" } }"""));
        Dtdl.Invalid("unit.missing", Doc(Q, """{ "@type": "Command", "name": "heat", "request": { "@type": ["CommandRequest", "Temperature"], "name": "t", "schema": "double" } }"""));
    }

    [Fact]
    public void Semantic_types_need_the_quantitative_types_context_in_v3()
    {
        Dtdl.Invalid("type.undefined", Dtdl.Contents("""{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin" }"""));
        Dtdl.Invalid("schema.undefined", Dtdl.Contents("""{ "@type": "Property", "name": "u", "schema": "TemperatureUnit" }"""));
    }

    [Fact]
    public void A_unit_type_is_a_schema_whose_values_are_its_units()
    {
        var models = Dtdl.Valid(Doc(Q, """{ "@type": "Property", "name": "lengthUnit", "schema": "LengthUnit", "writable": true }"""));
        var sensor = models.Find("dtmi:test:Sensor;1")!;
        var schema = Assert.IsType<EnumSchema>(sensor.Properties["lengthUnit"].Schema);
        Assert.Equal("LengthUnit", schema.UnitType);
        Assert.Contains(schema.Values, v => v.Name == "nauticalMile");
        Assert.Empty(TwinValidator.ValidateProperties(sensor, models, Json("""{ "lengthUnit": "centimetre" }""")));
        var error = Assert.Single(TwinValidator.ValidateProperties(sensor, models, Json("""{ "lengthUnit": "kelvin" }""")));
        Assert.Equal("property.type", error.Code);
    }

    // ---- Historization -------------------------------------------------------------------------------------

    [Fact]
    public void Historized_co_types_properties_and_telemetry_with_other_co_types()
    {
        var models = Dtdl.Valid(Doc($"{Q}, {H}", """
            { "@type": ["Property", "Temperature", "Historized"], "name": "setPointTemp", "writable": true, "schema": "double", "unit": "degreeFahrenheit" },
            { "@type": ["Telemetry", "Historized"], "name": "speed", "schema": "double" },
            { "@type": "Telemetry", "name": "raw", "schema": "double" }
            """));
        var sensor = models.Find("dtmi:test:Sensor;1")!;
        Assert.True(sensor.Properties["setPointTemp"].IsHistorized);
        Assert.Equal("degreeFahrenheit", sensor.Properties["setPointTemp"].Unit);
        Assert.Equal(["setPointTemp", "speed"], sensor.Historized.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Historized_has_no_properties_and_co_types_only_properties_and_telemetry()
    {
        Dtdl.Invalid("type.irrelevant", Doc(H, """{ "@type": ["Command", "Historized"], "name": "c" }"""));
        Dtdl.Invalid("type.irrelevant", Doc(H, """{ "@type": ["Relationship", "Historized"], "name": "r" }"""));
        Dtdl.Invalid("property.undefined", Doc(H, """{ "@type": ["Property", "Historized"], "name": "p", "schema": "double", "retention": "P30D" }"""));
        Dtdl.Invalid("type.undefined", Dtdl.Contents("""{ "@type": ["Property", "Historized"], "name": "p", "schema": "double" }"""));
    }

    // ---- Annotation ----------------------------------------------------------------------------------------

    [Fact]
    public void Value_annotations_annotate_a_sibling_property_or_telemetry_also_an_inherited_one()
    {
        var models = Dtdl.Valid(
            $$"""
                { "@context": ["dtmi:dtdl:context;3", {{Q}}], "@id": "dtmi:test:BaseSensor;1", "@type": "Interface", "contents": [
                  { "@type": ["Telemetry", "Temperature"], "name": "currentTemp", "schema": "double", "unit": "degreeFahrenheit" } ] }
                """,
            Doc($"{Q}, {A}", """
                { "@type": ["Telemetry", "ValueAnnotation"], "name": "currentTempAccuracy", "annotates": "currentTemp", "schema": "double" },
                { "@type": ["Property", "ValueAnnotation"], "name": "currentTempLastCalibrated", "annotates": "currentTemp", "schema": "date", "writable": true }
                """, extra: ", \"extends\": \"dtmi:test:BaseSensor;1\""));
        var sensor = models.Find("dtmi:test:Sensor;1")!;
        Assert.Equal("currentTemp", sensor.Telemetry["currentTempAccuracy"].Annotates);
        Assert.Equal("currentTemp", sensor.Properties["currentTempLastCalibrated"].Annotates);
    }

    [Fact]
    public void Annotates_is_required_must_name_a_sibling_and_belongs_only_to_value_annotations()
    {
        Dtdl.Invalid("property.missing", Doc(A, """{ "@type": ["Property", "ValueAnnotation"], "name": "a", "schema": "date" }"""));
        var e = Dtdl.Invalid("annotation.target", Doc(A, """
            { "@type": "Telemetry", "name": "t", "schema": "double" },
            { "@type": ["Property", "ValueAnnotation"], "name": "a", "annotates": "missing", "schema": "date" }
            """));
        Assert.Contains("contents[1].annotates", e.Path, StringComparison.Ordinal);
        Assert.Contains("must match the name property of a sibling element", e.Message, StringComparison.Ordinal);
        Dtdl.Invalid("annotation.target", Doc(A, """
            { "@type": "Command", "name": "c" },
            { "@type": ["Property", "ValueAnnotation"], "name": "a", "annotates": "c", "schema": "date" }
            """));
        Dtdl.Invalid("annotation.target", Doc(A, """{ "@type": ["Property", "ValueAnnotation"], "name": "a", "annotates": "a", "schema": "date" }"""));
        Dtdl.Invalid("property.undefined", Doc(A, """
            { "@type": "Telemetry", "name": "t", "schema": "double" },
            { "@type": "Property", "name": "a", "annotates": "t", "schema": "date" }
            """));
        Dtdl.Invalid("value.type", Doc(A, """
            { "@type": "Telemetry", "name": "t", "schema": "double" },
            { "@type": ["Property", "ValueAnnotation"], "name": "a", "annotates": 3, "schema": "date" }
            """));
        Dtdl.Invalid("type.irrelevant", Doc(A, """
            { "@type": "Telemetry", "name": "t", "schema": "double" },
            { "@type": ["Relationship", "ValueAnnotation"], "name": "r", "annotates": "t" }
            """));
    }

    // ---- Overriding ----------------------------------------------------------------------------------------

    private const string OverrideExample = """
        { "@type": [ "Telemetry", "Temperature" ], "name": "currentTemp", "schema": "double", "unit": "degreeFahrenheit" },
        { "@type": [ "Property", "ValueAnnotation", "Override" ], "name": "currentTempUnit", "annotates": "currentTemp", "overrides": "unit", "schema": "TemperatureUnit", "writable": true }
        """;

    [Fact]
    public void An_override_property_replaces_the_unit_of_the_telemetry_it_annotates()
    {
        var models = Dtdl.Valid(Doc($"{Q}, {A}, {O}", OverrideExample));
        var sensor = models.Find("dtmi:test:Sensor;1")!;
        var overriding = sensor.OverrideOf("currentTemp");
        Assert.NotNull(overriding);
        Assert.Equal("unit", overriding.Overrides);
        Assert.Equal("TemperatureUnit", overriding.Schema.Describe());

        var twin = Json("""{ "currentTempUnit": "degreeCelsius" }""");
        Assert.Empty(TwinValidator.ValidateProperties(sensor, models, twin));
        Assert.Single(TwinValidator.ValidateProperties(sensor, models, Json("""{ "currentTempUnit": "metre" }""")));
        Assert.Equal("degreeCelsius", TwinValidator.EffectiveUnit(sensor, sensor.Telemetry["currentTemp"], twin));
        Assert.Equal("degreeFahrenheit", TwinValidator.EffectiveUnit(sensor, sensor.Telemetry["currentTemp"], Json("{}")));
        Assert.Empty(TwinValidator.ValidateTelemetry(sensor, models, "currentTemp", Json("21.5"), "degreeCelsius", twin));
        var error = Assert.Single(TwinValidator.ValidateTelemetry(sensor, models, "currentTemp", Json("21.5"), "degreeFahrenheit", twin));
        Assert.Equal("telemetry.unit", error.Code);
        Assert.Contains("overrides", error.Message, StringComparison.Ordinal);
        Assert.Empty(TwinValidator.ValidateTelemetry(sensor, models, "currentTemp", Json("70"), "degreeFahrenheit"));
    }

    /// <summary>The combination the Willow building ontology uses on hundreds of properties.</summary>
    [Fact]
    public void Annotation_and_overriding_on_quantitative_units_load_as_one_set_like_the_willow_ontology()
    {
        var contexts = $"{Q}, {A}, {O}";
        var space = $$"""
            { "@context": ["dtmi:dtdl:context;3", {{contexts}}], "@id": "dtmi:test:Space;1", "@type": "Interface", "contents": [
              { "@type": ["Property", "Length"], "name": "ceilingHeight", "schema": "double", "unit": "metre", "writable": true },
              { "@type": ["Property", "ValueAnnotation", "Override"], "name": "ceilingHeightUnit", "annotates": "ceilingHeight", "overrides": "unit", "schema": "LengthUnit", "writable": true },
              { "@type": ["Property", "Area"], "name": "grossArea", "schema": "double", "unit": "squareMetre", "writable": true },
              { "@type": ["Property", "ValueAnnotation", "Override"], "name": "grossAreaUnit", "annotates": "grossArea", "overrides": "unit", "schema": "AreaUnit", "writable": true } ] }
            """;
        var room = $$"""
            { "@context": ["dtmi:dtdl:context;3", {{contexts}}], "@id": "dtmi:test:Room;1", "@type": "Interface", "extends": "dtmi:test:Space;1", "contents": [
              { "@type": ["Telemetry", "Temperature"], "name": "airTemperature", "schema": "double", "unit": "degreeCelsius" },
              { "@type": ["Property", "ValueAnnotation", "Override"], "name": "airTemperatureUnit", "annotates": "airTemperature", "overrides": "unit", "schema": "TemperatureUnit", "writable": true },
              { "@type": ["Property", "ValueAnnotation", "Override"], "name": "roomHeightUnit", "annotates": "ceilingHeight", "overrides": "unit", "schema": "LengthUnit", "writable": true } ] }
            """;
        var models = Dtdl.Valid(space, room);
        var r = models.Find("dtmi:test:Room;1")!;
        Assert.Equal("LengthUnit", r.Properties["roomHeightUnit"].Schema.Describe());
        Assert.Empty(TwinValidator.ValidateProperties(r, models, Json("""{ "ceilingHeight": 3.1, "ceilingHeightUnit": "foot", "grossAreaUnit": "squareFoot" }""")));
        Assert.Equal("property.type", Assert.Single(TwinValidator.ValidateProperties(r, models, Json("""{ "grossAreaUnit": "foot" }"""))).Code);
    }

    [Fact]
    public void Override_needs_value_annotation_an_extension_property_and_the_matching_schema()
    {
        var ctx = $"{Q}, {A}, {O}";
        Dtdl.Invalid("type.requires", Doc(ctx, """
            { "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin" },
            { "@type": ["Property", "Override"], "name": "u", "overrides": "unit", "schema": "TemperatureUnit" }
            """));
        Dtdl.Invalid("property.missing", Doc(ctx, """
            { "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin" },
            { "@type": ["Property", "ValueAnnotation", "Override"], "name": "u", "annotates": "t", "schema": "TemperatureUnit" }
            """));
        Dtdl.Invalid("override.target", Doc(ctx, """
            { "@type": "Telemetry", "name": "t", "schema": "double" },
            { "@type": ["Property", "ValueAnnotation", "Override"], "name": "u", "annotates": "t", "overrides": "unit", "schema": "TemperatureUnit" }
            """));
        Dtdl.Invalid("override.target", Doc(ctx, """
            { "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin" },
            { "@type": ["Property", "ValueAnnotation", "Override"], "name": "u", "annotates": "t", "overrides": "schema", "schema": "string" }
            """));
        var e = Dtdl.Invalid("override.schema", Doc(ctx, """
            { "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin" },
            { "@type": ["Property", "ValueAnnotation", "Override"], "name": "u", "annotates": "t", "overrides": "unit", "schema": "LengthUnit" }
            """));
        Assert.Contains("TemperatureUnit", e.Message, StringComparison.Ordinal);
        Dtdl.Invalid("override.schema", Doc(ctx, """
            { "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin" },
            { "@type": ["Property", "ValueAnnotation", "Override"], "name": "u", "annotates": "t", "overrides": "unit", "schema": "string" }
            """));
        Dtdl.Invalid("type.irrelevant", Doc(ctx, """
            { "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin" },
            { "@type": ["Telemetry", "ValueAnnotation", "Override"], "name": "u", "annotates": "t", "overrides": "unit", "schema": "TemperatureUnit" }
            """));
        Dtdl.Invalid("type.undefined", Doc($"{Q}, {A}", OverrideExample));
    }

    // ---- Mqtt ----------------------------------------------------------------------------------------------

    [Fact]
    public void Mqtt_interface_with_idempotent_cacheable_and_indexed_elements()
    {
        var models = Dtdl.Valid(Doc(M, """
            { "@type": ["Telemetry", "Indexed"], "name": "distance", "schema": "double", "index": 3 },
            { "@type": ["Telemetry", "Indexed"], "name": "color", "schema": "string", "index": 2 },
            { "@type": ["Command", "Idempotent", "Cacheable"], "name": "getSpeed", "response": { "name": "mph", "schema": "integer" }, "ttl": "PT15S" },
            { "@type": "Command", "name": "setColor", "request": { "name": "newColor", "schema": "string" } }
            """, id: "dtmi:example:TestVehicle;1", type: "[\"Interface\", \"Mqtt\"]",
            extra: ", \"telemetryTopic\": \"vehicles/{modelId}/{senderId}/telemetry\", \"commandTopic\": \"vehicles/{ex:executorId}/command/{commandName}\", \"payloadFormat\": \"Protobuf/3\""));
        var vehicle = models.Find("dtmi:example:TestVehicle;1")!;
        Assert.Equal("Protobuf/3", vehicle.ExtensionProperties["payloadFormat"]);
        Assert.Equal(3, vehicle.Telemetry["distance"].ExtensionProperties["index"]);
        Assert.Equal("PT15S", vehicle.Commands["getSpeed"].ExtensionProperties["ttl"]);
    }

    [Fact]
    public void Mqtt_properties_follow_their_tables()
    {
        const string mqtt = "[\"Interface\", \"Mqtt\"]";
        Dtdl.Invalid("property.missing", Doc(M, "", type: mqtt, extra: ", \"telemetryTopic\": \"a/b\""));
        Dtdl.Invalid("value.invalid", Doc(M, "", type: mqtt, extra: ", \"payloadFormat\": \"Json\", \"telemetryTopic\": \"vehicles/+/telemetry\""));
        Dtdl.Invalid("value.invalid", Doc(M, "", type: mqtt, extra: ", \"payloadFormat\": \"Json\", \"commandTopic\": \"$sys/{name}\""));
        Dtdl.Invalid("value.invalid", Doc(M, "", type: mqtt, extra: ", \"payloadFormat\": \"Json\", \"commandTopic\": \"a/{na me}\""));
        Dtdl.Invalid("value.invalid", Doc(M, """{ "@type": ["Command", "Cacheable"], "name": "c", "ttl": "15 seconds" }"""));
        Dtdl.Invalid("property.missing", Doc(M, """{ "@type": ["Command", "Cacheable"], "name": "c" }"""));
        Dtdl.Invalid("value.invalid", Doc(M, """{ "@type": ["Telemetry", "Indexed"], "name": "t", "schema": "double", "index": 0 }"""));
        Dtdl.Invalid("value.invalid", Doc(M, """
            { "@type": ["Telemetry", "Indexed"], "name": "a", "schema": "double", "index": 1 },
            { "@type": ["Telemetry", "Indexed"], "name": "b", "schema": "double", "index": 1 }
            """));
        Dtdl.Invalid("type.irrelevant", Doc(M, """{ "@type": ["Telemetry", "Cacheable"], "name": "t", "schema": "double", "ttl": "PT1S" }"""));
        Dtdl.Invalid("type.irrelevant", Doc(M, """{ "@type": ["Property", "Mqtt"], "name": "p", "schema": "double", "payloadFormat": "Json" }"""));
        Dtdl.Invalid("property.undefined", Doc(M, """{ "@type": "Telemetry", "name": "t", "schema": "double", "index": 1 }"""));
    }

    // ---- everything on one element, and contexts ------------------------------------------------------------

    [Fact]
    public void All_feature_extensions_combine_on_one_element()
    {
        var models = Dtdl.Valid(Doc($"{Q}, {H}, {A}, {O}, {M}", """
            { "@type": ["Telemetry", "Length", "Historized", "Indexed"], "name": "gap", "schema": "double", "unit": "millimetre", "index": 1 },
            { "@type": ["Property", "ValueAnnotation", "Override", "Historized"], "name": "gapUnit", "annotates": "gap", "overrides": "unit", "schema": "LengthUnit", "writable": true }
            """));
        var sensor = models.Find("dtmi:test:Sensor;1")!;
        Assert.True(sensor.Properties["gapUnit"].IsHistorized);
        Assert.Same(sensor.Properties["gapUnit"], sensor.OverrideOf("gap"));
    }

    [Fact]
    public void The_dtdl_context_comes_first_in_v3_and_may_follow_an_affiliate_context_in_v2()
    {
        var e = Dtdl.Invalid("context.order", $$"""{ "@context": [{{Q}}, "dtmi:dtdl:context;3"], "@id": "dtmi:test:T;1", "@type": "Interface" }""");
        Assert.Contains("must come first", e.Message, StringComparison.Ordinal);
        Dtdl.Invalid("context.order", $$"""
            { "@context": ["dtmi:dtdl:context;3"], "@id": "dtmi:test:T;1", "@type": "Interface", "contents": [
            { "@context": [{{H}}, "dtmi:dtdl:context;3"], "@type": ["Property", "Historized"], "name": "p", "schema": "double" } ] }
            """);
        Dtdl.Valid("""{ "@context": ["dtmi:iotcentral:context;2", "dtmi:dtdl:context;2"], "@id": "dtmi:test:T;1", "@type": "Interface" }""");
    }

    [Fact]
    public void An_extension_context_on_a_nested_element_brings_its_adjunct_types_there()
    {
        var models = Dtdl.Valid($$"""
            { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:T;1", "@type": "Interface", "contents": [
            { "@context": ["dtmi:dtdl:context;3", {{H}}], "@type": ["Property", "Historized"], "name": "p", "schema": "double" } ] }
            """);
        Assert.True(models.Find("dtmi:test:T;1")!.Properties["p"].IsHistorized);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
