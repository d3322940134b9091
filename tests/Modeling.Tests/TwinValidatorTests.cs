using System.Text.Json;

namespace TwinCluster.Modeling.Tests;

public sealed class TwinValidatorTests
{
    private static readonly ModelSet s_models = Dtdl.Valid(
        """
        { "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"],
          "@id": "dtmi:test:Sensor;1", "@type": "Interface",
          "contents": [
            { "@type": ["Telemetry", "Temperature"], "name": "temperature", "schema": "double", "unit": "degreeCelsius" },
            { "@type": "Telemetry", "name": "vibration", "schema": { "@type": "Array", "elementSchema": "float" } },
            { "@type": "Property", "name": "serial", "schema": "string" },
            { "@type": "Property", "name": "setPoint", "schema": "double", "writable": true },
            { "@type": "Property", "name": "count", "schema": "integer", "writable": true },
            { "@type": "Property", "name": "installed", "schema": "dateTime", "writable": true },
            { "@type": "Property", "name": "interval", "schema": "duration", "writable": true },
            { "@type": "Property", "name": "mode", "writable": true, "schema": { "@type": "Enum", "valueSchema": "string",
                "enumValues": [ { "name": "auto", "enumValue": "auto" }, { "name": "manual", "enumValue": "manual" } ] } },
            { "@type": "Property", "name": "limits", "writable": true, "schema": { "@type": "Object", "fields": [
                { "name": "low", "schema": "double" }, { "name": "high", "schema": "double" } ] } },
            { "@type": "Property", "name": "labels", "writable": true, "schema": { "@type": "Map",
                "mapKey": { "name": "k", "schema": "string" }, "mapValue": { "name": "v", "schema": "long" } } },
            { "@type": "Property", "name": "history", "writable": true, "schema": { "@type": "Array", "elementSchema": "boolean" } },
            { "@type": "Relationship", "name": "feeds", "target": "dtmi:test:Sensor;1", "maxMultiplicity": 2 },
            { "@type": "Relationship", "name": "near" },
            { "@type": "Component", "name": "battery", "schema": "dtmi:test:Battery;1" }
          ] }
        """,
        """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Battery;1", "@type": "Interface",
          "contents": [
            { "@type": "Property", "name": "charge", "schema": "double" },
            { "@type": "Telemetry", "name": "voltage", "schema": "double" } ] }
        """,
        """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:SmartSensor;1", "@type": "Interface", "extends": "dtmi:test:Sensor;1" }
        """,
        """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Other;1", "@type": "Interface" }
        """);

    private static InterfaceModel Sensor => s_models.Find("dtmi:test:Sensor;1")!;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Valid_properties_pass()
    {
        var errors = TwinValidator.ValidateProperties(Sensor, s_models, Json("""
            { "$dtId": "s1", "$metadata": {}, "serial": "X1", "setPoint": 21.5, "count": 3, "installed": "2026-11-25T10:00:00Z",
              "interval": "PT5M", "mode": "auto", "limits": { "low": 1, "high": 2 }, "labels": { "a": 1, "b": 2 },
              "history": [true, false], "battery": { "$metadata": {}, "charge": 0.5 } }
            """));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("""{ "setPoint": "warm" }""", "$.setPoint")]
    [InlineData("""{ "count": 1.5 }""", "$.count")]
    [InlineData("""{ "count": 3000000000 }""", "$.count")]
    [InlineData("""{ "installed": "yesterday" }""", "$.installed")]
    [InlineData("""{ "interval": "5 minutes" }""", "$.interval")]
    [InlineData("""{ "mode": "turbo" }""", "$.mode")]
    [InlineData("""{ "mode": 1 }""", "$.mode")]
    [InlineData("""{ "limits": { "low": "x" } }""", "$.limits.low")]
    [InlineData("""{ "limits": { "middle": 1 } }""", "$.limits.middle")]
    [InlineData("""{ "limits": [1, 2] }""", "$.limits")]
    [InlineData("""{ "labels": { "a": "one" } }""", "$.labels.a")]
    [InlineData("""{ "history": [true, 1] }""", "$.history[1]")]
    [InlineData("""{ "battery": { "charge": "full" } }""", "$.battery.charge")]
    public void Wrong_value_type_names_the_property(string json, string path)
    {
        var error = Assert.Single(TwinValidator.ValidateProperties(Sensor, s_models, Json(json)));
        Assert.Equal("property.type", error.Code);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Unknown_property_is_reported()
    {
        var errors = TwinValidator.ValidateProperties(Sensor, s_models, Json("""{ "colour": "red", "temperature": 3, "battery": { "size": 1 } }"""));
        Assert.Equal(["$.colour", "$.temperature", "$.battery.size"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.Equal("property.unknown", e.Code));
        Assert.Contains("telemetry", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_only_property_is_rejected_for_client_writes_only()
    {
        var doc = Json("""{ "serial": "X1", "setPoint": 20 }""");
        Assert.Empty(TwinValidator.ValidateProperties(Sensor, s_models, doc));
        var error = Assert.Single(TwinValidator.ValidateProperties(Sensor, s_models, doc, allowReadOnly: false));
        Assert.Equal("property.readonly", error.Code);
        Assert.Equal("$.serial", error.Path);
    }

    [Fact]
    public void Components_must_be_objects_and_can_be_required()
    {
        var error = Assert.Single(TwinValidator.ValidateProperties(Sensor, s_models, Json("""{ "battery": 5 }""")));
        Assert.Equal("component.type", error.Code);
        var missing = Assert.Single(TwinValidator.ValidateProperties(Sensor, s_models, Json("{}"), allowReadOnly: true, requireComponents: true));
        Assert.Equal("component.missing", missing.Code);
        Assert.Equal("$.battery", missing.Path);
    }

    [Fact]
    public void Inherited_properties_validate_on_the_derived_model()
    {
        var smart = s_models.Find("dtmi:test:SmartSensor;1")!;
        Assert.Empty(TwinValidator.ValidateProperties(smart, s_models, Json("""{ "setPoint": 1 }""")));
        Assert.Single(TwinValidator.ValidateProperties(smart, s_models, Json("""{ "setPoint": true }""")));
    }

    [Fact]
    public void Relationship_name_target_and_multiplicity_are_checked()
    {
        Assert.Empty(TwinValidator.ValidateRelationship(Sensor, s_models, "feeds", "dtmi:test:Sensor;1", 0));
        Assert.Empty(TwinValidator.ValidateRelationship(Sensor, s_models, "feeds", "dtmi:test:SmartSensor;1", 1));
        Assert.Empty(TwinValidator.ValidateRelationship(Sensor, s_models, "near", "dtmi:test:Other;1", 100));
        Assert.Equal("relationship.unknown", Assert.Single(TwinValidator.ValidateRelationship(Sensor, s_models, "owns", null, 0)).Code);
        Assert.Equal("relationship.target", Assert.Single(TwinValidator.ValidateRelationship(Sensor, s_models, "feeds", "dtmi:test:Other;1", 0)).Code);
        Assert.Equal("relationship.multiplicity", Assert.Single(TwinValidator.ValidateRelationship(Sensor, s_models, "feeds", "dtmi:test:Sensor;1", 2)).Code);
    }

    [Fact]
    public void Telemetry_schema_and_unit_are_checked()
    {
        Assert.Empty(TwinValidator.ValidateTelemetry(Sensor, s_models, "temperature", Json("21.5"), "degreeCelsius"));
        Assert.Empty(TwinValidator.ValidateTelemetry(Sensor, s_models, "temperature", Json("21.5")));
        Assert.Empty(TwinValidator.ValidateTelemetry(Sensor, s_models, "vibration", Json("[0.1, -0.2, 0.3]")));
        Assert.Empty(TwinValidator.ValidateTelemetry(Sensor, s_models, "battery/voltage", Json("3.7")));
        Assert.Equal("telemetry.type", Assert.Single(TwinValidator.ValidateTelemetry(Sensor, s_models, "temperature", Json("\"hot\""))).Code);
        Assert.Equal("$.vibration[1]", Assert.Single(TwinValidator.ValidateTelemetry(Sensor, s_models, "vibration", Json("[0.1, \"x\"]"))).Path);
        Assert.Equal("telemetry.unit", Assert.Single(TwinValidator.ValidateTelemetry(Sensor, s_models, "temperature", Json("21.5"), "degreeFahrenheit")).Code);
        Assert.Equal("telemetry.unknown", Assert.Single(TwinValidator.ValidateTelemetry(Sensor, s_models, "pressure", Json("1"))).Code);
    }

    [Fact]
    public void Relationship_properties_are_checked()
    {
        var models = Dtdl.Valid(Dtdl.Contents("""
            { "@type": "Relationship", "name": "r", "properties": [ { "@type": "Property", "name": "weight", "schema": "double" } ] }
            """));
        var rel = models.Find("dtmi:test:Thing;1")!.Relationships["r"];
        Assert.Empty(TwinValidator.ValidateRelationshipProperties(rel, Json("""{ "weight": 2 }""")));
        Assert.Equal("property.type", Assert.Single(TwinValidator.ValidateRelationshipProperties(rel, Json("""{ "weight": "heavy" }"""))).Code);
        Assert.Equal("property.unknown", Assert.Single(TwinValidator.ValidateRelationshipProperties(rel, Json("""{ "height": 2 }"""))).Code);
    }

    [Fact]
    public void Properties_must_be_a_json_object()
    {
        Assert.Equal("property.type", Assert.Single(TwinValidator.ValidateProperties(Sensor, s_models, Json("[1]"))).Code);
    }
}
