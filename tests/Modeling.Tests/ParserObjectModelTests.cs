namespace TwinCluster.Modeling.Tests;

public sealed class ParserObjectModelTests
{
    private const string Thermostat = """
        {
          "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"],
          "@id": "dtmi:com:example:Thermostat;1",
          "@type": "Interface",
          "displayName": { "en": "Thermostat", "de": "Thermostat (de)" },
          "description": "Reports temperature",
          "comment": "for tests",
          "schemas": [
            { "@id": "dtmi:com:example:Thermostat:mode;1", "@type": "Enum", "valueSchema": "string",
              "enumValues": [ { "name": "heat", "enumValue": "heat" }, { "name": "cool", "enumValue": "cool" } ] }
          ],
          "contents": [
            { "@type": ["Telemetry", "Temperature"], "name": "temperature", "schema": "double", "unit": "degreeCelsius" },
            { "@type": "Property", "name": "targetTemperature", "schema": "double", "writable": true },
            { "@type": "Property", "name": "mode", "schema": "dtmi:com:example:Thermostat:mode;1" },
            { "@type": "Property", "name": "limits", "schema": { "@type": "Object", "fields": [
                { "name": "low", "schema": "double" }, { "name": "high", "schema": "double" } ] } },
            { "@type": "Property", "name": "tags", "schema": { "@type": "Map",
                "mapKey": { "name": "tag", "schema": "string" }, "mapValue": { "name": "value", "schema": "string" } } },
            { "@type": "Property", "name": "history", "schema": { "@type": "Array", "elementSchema": "integer" } },
            { "@type": "Command", "name": "reboot",
              "request": { "name": "delay", "schema": "duration" },
              "response": { "name": "ok", "schema": "boolean" } },
            { "@type": "Relationship", "name": "installedIn", "target": "dtmi:com:example:Room;1",
              "minMultiplicity": 0, "maxMultiplicity": 1, "writable": true,
              "properties": [ { "@type": "Property", "name": "since", "schema": "date" } ] }
          ]
        }
        """;

    private const string Room = """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Room;1", "@type": "Interface",
          "contents": [ { "@type": "Component", "name": "thermostat", "schema": "dtmi:com:example:Thermostat;1" } ] }
        """;

    [Fact]
    public void Interface_contents_are_modelled()
    {
        var models = Dtdl.Valid(Thermostat, Room);
        var t = models.Find("dtmi:com:example:Thermostat;1")!;
        Assert.Equal(3, t.DtdlVersion);
        Assert.Equal("Thermostat", t.DisplayName!.Default);
        Assert.Equal("Thermostat (de)", t.DisplayName.Values["de"]);
        Assert.Equal("Reports temperature", t.Description!.Default);
        Assert.Equal("for tests", t.Comment);

        var telemetry = t.Telemetry["temperature"];
        Assert.Equal(PrimitiveKind.Double, Assert.IsType<PrimitiveSchema>(telemetry.Schema).Kind);
        Assert.Equal("Temperature", telemetry.SemanticType);
        Assert.Equal("degreeCelsius", telemetry.Unit);

        Assert.True(t.Properties["targetTemperature"].Writable);
        Assert.False(t.Properties["mode"].Writable);
        var mode = Assert.IsType<EnumSchema>(t.Properties["mode"].Schema);
        Assert.Equal(["heat", "cool"], mode.Values.Select(v => (string)v.Value));
        Assert.Same(mode, Assert.Single(t.Schemas));

        var limits = Assert.IsType<ObjectSchema>(t.Properties["limits"].Schema);
        Assert.Equal(["low", "high"], limits.Fields.Select(f => f.Name));
        var tags = Assert.IsType<MapSchema>(t.Properties["tags"].Schema);
        Assert.Equal(PrimitiveKind.String, Assert.IsType<PrimitiveSchema>(tags.MapValue.Schema).Kind);
        var history = Assert.IsType<ArraySchema>(t.Properties["history"].Schema);
        Assert.Equal(PrimitiveKind.Integer, Assert.IsType<PrimitiveSchema>(history.ElementSchema).Kind);

        var reboot = t.Commands["reboot"];
        Assert.Equal("delay", reboot.Request!.Name);
        Assert.Equal(PrimitiveKind.Duration, ((PrimitiveSchema)reboot.Request.Schema).Kind);
        Assert.Equal(PrimitiveKind.Boolean, ((PrimitiveSchema)reboot.Response!.Schema).Kind);

        var rel = t.Relationships["installedIn"];
        Assert.Equal("dtmi:com:example:Room;1", rel.Target);
        Assert.Equal(0, rel.MinMultiplicity);
        Assert.Equal(1, rel.MaxMultiplicity);
        Assert.True(rel.Writable);
        Assert.Equal(PrimitiveKind.Date, ((PrimitiveSchema)rel.Properties["since"].Schema).Kind);

        var room = models.Find("dtmi:com:example:Room;1")!;
        Assert.Equal("dtmi:com:example:Thermostat;1", room.Components["thermostat"].SchemaId);
    }

    [Fact]
    public void Extends_brings_inherited_contents_and_subtyping()
    {
        var models = Dtdl.Valid(
            Dtdl.Contents("""{ "@type": "Property", "name": "a", "schema": "string" }""", id: "dtmi:test:Base;1"),
            Dtdl.Interface("""
                "extends": "dtmi:test:Base;1", "contents": [ { "@type": "Telemetry", "name": "b", "schema": "long" } ]
                """, "dtmi:test:Middle;1"),
            Dtdl.Interface("""
                "extends": ["dtmi:test:Middle;1", { "@id": "dtmi:test:Inline;1", "@type": "Interface",
                  "contents": [ { "@type": "Command", "name": "c" } ] }]
                """, "dtmi:test:Leaf;1"));
        var leaf = models.Find("dtmi:test:Leaf;1")!;
        Assert.Equal(["dtmi:test:Middle;1", "dtmi:test:Inline;1"], leaf.Extends);
        Assert.Equal(["dtmi:test:Middle;1", "dtmi:test:Base;1", "dtmi:test:Inline;1"], leaf.AllBases);
        Assert.True(leaf.Properties.ContainsKey("a"));
        Assert.True(leaf.Telemetry.ContainsKey("b"));
        Assert.True(leaf.Commands.ContainsKey("c"));
        Assert.Equal("dtmi:test:Base;1", leaf.Properties["a"].DefinedIn);
        Assert.True(models.IsSubtypeOf("dtmi:test:Leaf;1", "dtmi:test:Base;1"));
        Assert.True(models.IsSubtypeOf("dtmi:test:Leaf;1", "dtmi:test:Leaf;1"));
        Assert.False(models.IsSubtypeOf("dtmi:test:Base;1", "dtmi:test:Leaf;1"));
        Assert.NotNull(models.Find("dtmi:test:Inline;1"));
    }

    [Fact]
    public void Known_models_resolve_references_of_new_sources()
    {
        var known = Dtdl.Valid(Dtdl.Contents("""{ "@type": "Property", "name": "a", "schema": "string" }""", id: "dtmi:test:Base;1"));
        var result = new ModelParser().Parse(
            [new ModelSource("new.json", Dtdl.Interface("\"extends\": \"dtmi:test:Base;1\"", "dtmi:test:Derived;1"))], known);
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.True(result.Models!.Find("dtmi:test:Derived;1")!.Properties.ContainsKey("a"));
        Assert.NotNull(result.Models.Find("dtmi:test:Base;1"));
    }

    [Fact]
    public void Redefining_a_known_model_is_rejected()
    {
        var known = Dtdl.Valid(Dtdl.Interface(string.Empty, "dtmi:test:Base;1"));
        var result = new ModelParser().Parse([new ModelSource("again.json", Dtdl.Interface(string.Empty, "dtmi:test:Base;1"))], known);
        Assert.Contains(result.Errors, e => e.Code == "id.duplicate");
    }

    [Fact]
    public void Array_of_documents_and_source_json_are_kept()
    {
        var text = $"[{Dtdl.Interface(string.Empty, "dtmi:test:A;1")}, {Dtdl.Interface(string.Empty, "dtmi:test:B;1")}]";
        var models = Dtdl.Valid(text);
        var a = models.Find("dtmi:test:A;1")!;
        using var doc = System.Text.Json.JsonDocument.Parse(a.SourceJson);
        Assert.Equal("dtmi:test:A;1", doc.RootElement.GetProperty("@id").GetString());
        Assert.True(Dtdl.Parse(a.SourceJson).IsValid);
    }

    [Fact]
    public void Inline_interfaces_share_their_documents_source_json()
    {
        var models = Dtdl.Valid(Dtdl.Contents("""
            { "@type": "Component", "name": "c", "schema": { "@id": "dtmi:test:Inner;1", "@type": "Interface",
              "contents": [ { "@type": "Property", "name": "p", "schema": "string" } ] } }
            """));
        var inner = models.Find("dtmi:test:Inner;1")!;
        var outer = models.Find("dtmi:test:Thing;1")!;
        Assert.Equal(outer.SourceJson, inner.SourceJson);

        // Storing every interface's SourceJson and parsing the distinct texts reproduces the set.
        var again = Dtdl.Valid([.. models.Interfaces.Values.Select(m => m.SourceJson).Distinct()]);
        Assert.Equal(models.Interfaces.Keys.Order(), again.Interfaces.Keys.Order());
    }

    [Fact]
    public void Dependencies_name_the_other_documents_a_document_needs()
    {
        var models = Dtdl.Valid(
            Dtdl.Interface("""
                "schemas": [ { "@id": "dtmi:test:Lib:level;1", "@type": "Enum", "valueSchema": "integer",
                  "enumValues": [ { "name": "low", "enumValue": 1 } ] } ]
                """, "dtmi:test:Lib;1"),
            Dtdl.Interface(string.Empty, "dtmi:test:Base;1"),
            Dtdl.Interface(string.Empty, "dtmi:test:Part;1"),
            Dtdl.Interface("""
                "extends": ["dtmi:test:Base;1", { "@id": "dtmi:test:InlineBase;1", "@type": "Interface", "extends": "dtmi:test:Base;1" }],
                "contents": [
                  { "@type": "Component", "name": "part", "schema": "dtmi:test:Part;1" },
                  { "@type": "Property", "name": "level", "schema": "dtmi:test:Lib:level;1" },
                  { "@type": "Relationship", "name": "next", "target": "dtmi:test:Elsewhere;1" } ]
                """, "dtmi:test:Machine;1"));
        var expected = new[] { "dtmi:test:Base;1", "dtmi:test:Lib;1", "dtmi:test:Part;1" };
        Assert.Equal(expected, models.Find("dtmi:test:Machine;1")!.Dependencies);
        Assert.Equal(expected, models.Find("dtmi:test:InlineBase;1")!.Dependencies);
        Assert.Empty(models.Find("dtmi:test:Lib;1")!.Dependencies);

        // The documents of a model plus its dependencies parse on their own.
        var machine = models.Find("dtmi:test:Machine;1")!;
        Dtdl.Valid([machine.SourceJson, .. machine.Dependencies.Select(d => models.Find(d)!.SourceJson)]);
    }

    [Fact]
    public void Dependencies_on_known_models_are_reported()
    {
        var known = Dtdl.Valid(Dtdl.Interface("""
            "schemas": [ { "@id": "dtmi:test:Lib:pair;1", "@type": "Array", "elementSchema": "double" } ]
            """, "dtmi:test:Lib;1"));
        var result = new ModelParser().Parse([new ModelSource("new.json", Dtdl.Contents("""{ "@type": "Property", "name": "p", "schema": "dtmi:test:Lib:pair;1" }"""))], known);
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal(["dtmi:test:Lib;1"], result.Models!.Find("dtmi:test:Thing;1")!.Dependencies);
    }

    [Fact]
    public void V2_semantic_types_are_built_in()
    {
        var models = Dtdl.Valid(Dtdl.Contents(
            """{ "@type": ["Property", "Temperature"], "name": "t", "schema": "double", "unit": "degreeFahrenheit" }""", version: 2));
        var p = models.Find("dtmi:test:Thing;1")!.Properties["t"];
        Assert.Equal("Temperature", p.SemanticType);
        Assert.Equal("degreeFahrenheit", p.Unit);
        Assert.Contains("Temperature", p.CoTypes);
    }

    [Fact]
    public void V3_quantitative_types_apply_to_fields_map_values_and_payloads()
    {
        var models = Dtdl.Valid("""
            { "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"], "@id": "dtmi:test:Pump;1", "@type": "Interface",
              "contents": [
                { "@type": "Property", "name": "limits", "schema": { "@type": "Object", "fields": [
                    { "@type": ["Field", "Pressure"], "name": "max", "schema": "double", "unit": "bar" } ] } },
                { "@type": "Property", "name": "speeds", "schema": { "@type": "Map", "mapKey": { "name": "stage", "schema": "string" },
                    "mapValue": { "@type": ["MapValue", "AngularVelocity"], "name": "rpm", "schema": "double", "unit": "revolutionPerMinute" } } },
                { "@type": "Command", "name": "ramp",
                  "request": { "@type": ["CommandRequest", "TimeSpan"], "name": "over", "schema": "integer", "unit": "second" } } ] }
            """);
        var pump = models.Find("dtmi:test:Pump;1")!;
        var max = ((ObjectSchema)pump.Properties["limits"].Schema).Fields[0];
        Assert.Equal(("Pressure", "bar"), (max.SemanticType, max.Unit));
        var rpm = ((MapSchema)pump.Properties["speeds"].Schema).MapValue;
        Assert.Equal(("AngularVelocity", "revolutionPerMinute"), (rpm.SemanticType, rpm.Unit));
        var over = pump.Commands["ramp"].Request!;
        Assert.Equal(("TimeSpan", "second"), (over.SemanticType, over.Unit));
    }

    [Fact]
    public void V3_semantic_types_need_the_quantitative_types_context()
    {
        Dtdl.Invalid("type.undefined", Dtdl.Contents(
            """{ "@type": ["Property", "Temperature"], "name": "t", "schema": "double", "unit": "degreeCelsius" }"""));
    }

    [Fact]
    public void Automatic_ids_follow_the_parent()
    {
        var models = Dtdl.Valid(Dtdl.Contents("""{ "@type": "Property", "name": "p", "schema": { "@type": "Array", "elementSchema": "string" } }"""));
        var p = models.Find("dtmi:test:Thing;1")!.Properties["p"];
        Assert.Equal("dtmi:test:Thing:_contents:__p;1", p.Id);
        Assert.Equal("dtmi:test:Thing:_contents:__p:_schema;1", p.Schema.Id);
    }

    [Fact]
    public void Enum_with_integer_values_keeps_ints()
    {
        var models = Dtdl.Valid(Dtdl.Contents("""
            { "@type": "Property", "name": "level", "schema": { "@type": "Enum", "valueSchema": "integer",
              "enumValues": [ { "name": "low", "enumValue": 1 }, { "name": "high", "enumValue": 2 } ] } }
            """));
        var e = (EnumSchema)models.Find("dtmi:test:Thing;1")!.Properties["level"].Schema;
        Assert.Equal(PrimitiveKind.Integer, e.ValueSchema);
        Assert.Equal([1, 2], e.Values.Select(v => (int)v.Value));
    }
}
