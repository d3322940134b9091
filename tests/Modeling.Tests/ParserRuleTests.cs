namespace TwinCluster.Modeling.Tests;

/// <summary>One small document per language rule; each must be rejected with the rule's error code and a useful path.</summary>
public sealed class ParserRuleTests
{
    private static string P(string name, string schema = "\"string\"") => $$"""{ "@type": "Property", "name": "{{name}}", "schema": {{schema}} }""";

    private static string Chain(int levels)
    {
        // Interface 0 extends 1 extends ... extends levels.
        var docs = Enumerable.Range(0, levels + 1).Select(i => i < levels
            ? Dtdl.Interface($"\"extends\": \"dtmi:test:I{i + 1};1\"", $"dtmi:test:I{i};1")
            : Dtdl.Interface(string.Empty, $"dtmi:test:I{i};1"));
        return "[" + string.Join(",", docs) + "]";
    }

    private static string NestedArrays(int depth)
    {
        var schema = "\"double\"";
        for (var i = 0; i < depth; i++)
        {
            schema = $$"""{ "@type": "Array", "elementSchema": {{schema}} }""";
        }

        return Dtdl.Contents($$"""{ "@type": "Telemetry", "name": "t", "schema": {{schema}} }""");
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        // DTMI syntax and version rules
        { "dtmi.invalid", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:1bad;1") },
        { "dtmi.invalid", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:bad_;1") },
        { "dtmi.invalid", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:x;01") },
        { "dtmi.invalid", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:x;1.0") },
        { "dtmi.invalid", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:x;1234567890") },
        { "dtmi.invalid", "$['@id']", Dtdl.Interface(string.Empty, "urn:test:x;1") },
        { "dtmi.version", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:x", version: 2) },
        { "dtmi.version", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:x;1.2", version: 2) },
        { "dtmi.system", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:_x;1") },
        { "dtmi.reserved", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:dtdl:thing;1") },
        { "dtmi.length", "$['@id']", Dtdl.Interface(string.Empty, "dtmi:test:" + new string('a', 130) + ";1") },
        { "id.missing", "$", """{ "@context": "dtmi:dtdl:context;3", "@type": "Interface" }""" },
        { "id.invalid", "$.contents[0]['@id']", Dtdl.Contents("""{ "@id": ["dtmi:test:p;1"], "@type": "Property", "name": "p", "schema": "string" }""") },
        // names
        { "name.invalid", "$.contents[0].name", Dtdl.Contents(P("1abc")) },
        { "name.invalid", "$.contents[0].name", Dtdl.Contents(P("abc_")) },
        { "name.invalid", "$.contents[0].name", Dtdl.Contents(P("a-b")) },
        { "name.length", "$.contents[0].name", Dtdl.Contents(P(new string('a', 65)), version: 2) },
        { "name.length", "$.contents[0].name", Dtdl.Contents(P(new string('a', 513))) },
        { "property.missing", "$.contents[0]", Dtdl.Contents("""{ "@type": "Property", "schema": "string" }""") },
        { "name.duplicate", "$.contents[1]", Dtdl.Contents(P("a") + "," + P("a")) },
        // inherited duplicates
        { "name.duplicate", "$[1].contents[0]", $"[{Dtdl.Contents(P("a"), id: "dtmi:test:Base;1")}, {Dtdl.Interface("\"extends\": \"dtmi:test:Base;1\", \"contents\": [" + P("a") + "]", "dtmi:test:Derived;1")}]" },
        { "name.duplicate", "$[2]", $"[{Dtdl.Contents(P("a"), id: "dtmi:test:B1;1")}, {Dtdl.Contents(P("a"), id: "dtmi:test:B2;1")}, {Dtdl.Interface("\"extends\": [\"dtmi:test:B1;1\", \"dtmi:test:B2;1\"]", "dtmi:test:D;1")}]" },
        // lengths of descriptive strings
        { "string.length", "$.displayName", Dtdl.Interface($"\"displayName\": \"{new string('x', 65)}\"", version: 2) },
        { "string.length", "$.description", Dtdl.Interface($"\"description\": \"{new string('x', 513)}\"") },
        { "string.length", "$.comment", Dtdl.Interface($"\"comment\": \"{new string('x', 513)}\"") },
        { "language.invalid", "$.displayName.English", Dtdl.Interface("\"displayName\": { \"English\": \"x\" }") },
        // counts
        { "extends.count", "$[3].extends", $"[{Dtdl.Interface(string.Empty, "dtmi:test:A;1", 2)}, {Dtdl.Interface(string.Empty, "dtmi:test:B;1", 2)}, {Dtdl.Interface(string.Empty, "dtmi:test:C;1", 2)}, {Dtdl.Interface("\"extends\": [\"dtmi:test:A;1\", \"dtmi:test:B;1\", \"dtmi:test:C;1\"]", "dtmi:test:D;1", 2)}]" },
        { "extends.depth", "$[0]", Chain(11) },
        { "contents.count", "$.contents", Dtdl.Contents(string.Join(",", Enumerable.Range(0, 301).Select(i => P($"p{i}"))), version: 2) },
        { "enum.count", "$.contents[0].schema.enumValues", Dtdl.Contents($$"""{ "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "integer", "enumValues": [{{string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{ "name": "v{{i}}", "enumValue": {{i}} }"""))}}] } }""", version: 2) },
        { "object.count", "$.contents[0].schema.fields", Dtdl.Contents($$"""{ "@type": "Property", "name": "o", "schema": { "@type": "Object", "fields": [{{string.Join(",", Enumerable.Range(0, 31).Select(i => $$"""{ "name": "f{{i}}", "schema": "string" }"""))}}] } }""", version: 2) },
        // schemas
        { "schema.depth", "$.contents[0].schema", NestedArrays(6) },
        { "schema.cycle", "$.schemas[0]", Dtdl.Interface("""
            "schemas": [ { "@id": "dtmi:test:s1;1", "@type": "Array", "elementSchema": "dtmi:test:s2;1" },
                         { "@id": "dtmi:test:s2;1", "@type": "Array", "elementSchema": "dtmi:test:s1;1" } ]
            """) },
        { "schema.undefined", "$.contents[0].schema", Dtdl.Contents(P("p", "\"decimal128\"")) },
        { "schema.arrayInProperty", "$.contents[0].schema", Dtdl.Contents(P("p", """{ "@type": "Array", "elementSchema": "string" }"""), version: 2) },
        { "schema.invalid", "$.contents[0].schema.mapKey.schema", Dtdl.Contents(P("m", """{ "@type": "Map", "mapKey": { "name": "k", "schema": "integer" }, "mapValue": { "name": "v", "schema": "string" } }""")) },
        { "enum.valueSchema", "$.contents[0].schema.valueSchema", Dtdl.Contents(P("e", """{ "@type": "Enum", "valueSchema": "double", "enumValues": [] }""")) },
        { "enum.valueType", "$.contents[0].schema.enumValues[0].enumValue", Dtdl.Contents(P("e", """{ "@type": "Enum", "valueSchema": "integer", "enumValues": [ { "name": "a", "enumValue": "x" } ] }""")) },
        { "enum.duplicateValue", "$.contents[0].schema.enumValues[1]", Dtdl.Contents(P("e", """{ "@type": "Enum", "valueSchema": "integer", "enumValues": [ { "name": "a", "enumValue": 1 }, { "name": "b", "enumValue": 1 } ] }""")) },
        { "reference.type", "$.contents[0].schema", Dtdl.Contents(P("p", "\"dtmi:test:Thing;1\"")) },
        // semantic types and units
        { "unit.missing", "$.contents[0]", Dtdl.Contents("""{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double" }""", version: 2) },
        { "unit.invalid", "$.contents[0].unit", Dtdl.Contents("""{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "metre" }""", version: 2) },
        { "semanticType.schema", "$.contents[0].schema", Dtdl.Contents("""{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "string", "unit": "kelvin" }""", version: 2) },
        { "property.irrelevant", "$.contents[0].unit", Dtdl.Contents("""{ "@type": "Telemetry", "name": "t", "schema": "double", "unit": "kelvin" }""", version: 2) },
        // relationships
        { "multiplicity.invalid", "$.contents[0].minMultiplicity", Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "minMultiplicity": 1 }""") },
        { "multiplicity.invalid", "$.contents[0].maxMultiplicity", Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "maxMultiplicity": 0 }""") },
        { "multiplicity.invalid", "$.contents[0].maxMultiplicity", Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "maxMultiplicity": 501 }""", version: 2) },
        { "dtmi.invalid", "$.contents[0].target", Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "target": "Room" }""") },
        // components
        { "component.nested", "$[1].contents[0]", $"[{Dtdl.Contents("""{ "@type": "Component", "name": "c", "schema": "dtmi:test:Leaf;1" }""", id: "dtmi:test:Mid;1")}, {Dtdl.Contents("""{ "@type": "Component", "name": "m", "schema": "dtmi:test:Mid;1" }""", id: "dtmi:test:Top;1")}, {Dtdl.Interface(string.Empty, "dtmi:test:Leaf;1")}]" },
        { "schema.invalid", "$.contents[0].schema", Dtdl.Contents("""{ "@type": "Component", "name": "c", "schema": "string" }""") },
        // cycles and references
        { "extends.cycle", "$[0]", $"[{Dtdl.Interface("\"extends\": \"dtmi:test:B;1\"", "dtmi:test:A;1")}, {Dtdl.Interface("\"extends\": \"dtmi:test:A;1\"", "dtmi:test:B;1")}]" },
        { "reference.unresolved", "$.extends", Dtdl.Interface("\"extends\": \"dtmi:test:Missing;1\"") },
        { "reference.unresolved", "$.contents[0].schema", Dtdl.Contents("""{ "@type": "Component", "name": "c", "schema": "dtmi:test:Missing;1" }""") },
        { "reference.unresolved", "$.contents[0].schema", Dtdl.Contents(P("p", "\"dtmi:test:MissingSchema;1\"")) },
        { "id.duplicate", "$[1]", $"[{Dtdl.Interface(string.Empty, "dtmi:test:A;1")}, {Dtdl.Interface(string.Empty, "dtmi:test:A;1")}]" },
        { "id.duplicate", "$.contents[1]", Dtdl.Contents("""{ "@id": "dtmi:test:p;1", "@type": "Property", "name": "a", "schema": "string" }, { "@id": "dtmi:test:p;1", "@type": "Property", "name": "b", "schema": "string" }""") },
        // context placement and types
        { "context.missing", "$", """{ "@id": "dtmi:test:x;1", "@type": "Interface" }""" },
        { "context.invalid", "$['@context']", """{ "@context": "dtmi:dtdl:context;9", "@id": "dtmi:test:x;1", "@type": "Interface" }""" },
        { "context.undefined", "$['@context'][1]", """{ "@context": ["dtmi:dtdl:context;3", "dtmi:example:ext;1"], "@id": "dtmi:test:x;1", "@type": "Interface" }""" },
        { "context.version", "$.contents[0]['@context']", Dtdl.Contents("""{ "@context": "dtmi:dtdl:context;3", "@type": "Property", "name": "p", "schema": "string" }""", version: 2) },
        { "type.missing", "$.contents[0]['@type']", Dtdl.Contents("""{ "name": "p", "schema": "string" }""") },
        { "type.material", "$.contents[0]['@type'][1]", Dtdl.Contents("""{ "@type": ["Property", "Telemetry"], "name": "p", "schema": "string" }""") },
        { "type.irrelevant", "$.contents[0]['@type']", Dtdl.Contents("""{ "@type": "Interface", "name": "p" }""") },
        { "type.undefined", "$.contents[0]['@type'][1]", Dtdl.Contents("""{ "@type": ["Property", "Special"], "name": "p", "schema": "string" }""") },
        { "property.undefined", "$.contents[0].color", Dtdl.Contents("""{ "@type": "Property", "name": "p", "schema": "string", "color": "red" }""") },
        { "keyword.invalid", "$.contents[0]['@graph']", Dtdl.Contents("""{ "@type": "Property", "name": "p", "schema": "string", "@graph": {} }""") },
        // wrong JSON types
        { "value.type", "$.contents[0].writable", Dtdl.Contents("""{ "@type": "Property", "name": "p", "schema": "string", "writable": "yes" }""") },
        { "value.type", "$.contents[0].name", Dtdl.Contents("""{ "@type": "Property", "name": 5, "schema": "string" }""") },
        { "value.type", "$.contents[0]", Dtdl.Contents("42") },
        { "value.count", "$.contents[0].name", Dtdl.Contents("""{ "@type": "Property", "name": ["a", "b"], "schema": "string" }""") },
        { "document.type", "$", "42" },
        { "document.type", "$[0]", "[\"x\"]" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_violation_is_reported_with_code_and_path(string code, string path, string document)
    {
        var error = Dtdl.Invalid(code, document);
        Assert.Equal(path, error.Path);
        Assert.Equal("doc0.json", error.Source);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Extension_adjunct_types_are_known_per_context()
    {
        const string annotated = """
            { "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:annotation;1", "dtmi:dtdl:extension:historization;1"],
              "@id": "dtmi:test:Sensor;1", "@type": "Interface",
              "contents": [ { "@type": ["Telemetry", "Historized"], "name": "temp", "schema": "double" },
                            { "@type": ["Property", "ValueAnnotation"], "name": "accuracy", "annotates": "temp", "schema": "double" } ] }
            """;
        Dtdl.Valid(annotated);
        Dtdl.Invalid("type.undefined", annotated.Replace("\"Historized\"", "\"Archived\"", StringComparison.Ordinal));
        Dtdl.Invalid("type.undefined", annotated.Replace(", \"dtmi:dtdl:extension:annotation;1\"", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Mqtt_transparent_payload_must_be_an_object()
    {
        static string Display(string schema) => $$"""
            { "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:mqtt;2"], "@id": "dtmi:test:Display;1", "@type": ["Interface", "Mqtt"],
              "payloadFormat": "Json/ecma/404", "commandTopic": "display/{commandName}",
              "contents": [ { "@type": "Command", "name": "show", "request": { "@type": ["CommandRequest", "Transparent"], "name": "text", "schema": {{schema}} } } ] }
            """;
        Dtdl.Valid(Display("""{ "@type": "Object", "fields": [ { "name": "line", "schema": "string" } ] }"""));
        var error = Dtdl.Invalid("mqtt.transparent", Display("\"string\""));
        Assert.Equal("$.contents[0].request.schema", error.Path);
    }

    [Fact]
    public void V3_interface_larger_than_one_mebibyte_is_rejected()
    {
        var comments = string.Join(",", Enumerable.Range(0, 2200).Select(i => $$"""{ "@type": "Property", "name": "p{{i}}", "schema": "string", "comment": "{{new string('x', 500)}}" }"""));
        Dtdl.Invalid("interface.size", Dtdl.Contents(comments));
    }

    [Fact]
    public void Extending_a_known_model_counts_its_depth()
    {
        var known = new ModelParser().Parse([new ModelSource("chain.json", Chain(10))]);
        Assert.True(known.IsValid);
        var result = new ModelParser().Parse([new ModelSource("deeper.json", Dtdl.Interface("\"extends\": \"dtmi:test:I0;1\"", "dtmi:test:Top;1"))], known.Models);
        Assert.Contains(result.Errors, e => e.Code == "extends.depth");
    }

    [Fact]
    public void Relationship_target_may_stay_undefined_but_extends_may_not()
    {
        Dtdl.Valid(Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "target": "dtmi:test:NotDefinedAnywhere;1" }"""));
        Dtdl.Invalid("reference.unresolved", Dtdl.Interface("\"extends\": \"dtmi:test:NotDefinedAnywhere;1\""));
    }

    [Fact]
    public void Extends_ten_levels_deep_is_allowed()
    {
        Dtdl.Valid(Chain(10));
    }

    [Fact]
    public void Schemas_five_levels_deep_are_allowed()
    {
        Dtdl.Valid(NestedArrays(5));
    }

    [Fact]
    public void Undefined_co_types_and_their_properties_are_allowed_in_v2()
    {
        Dtdl.Valid(Dtdl.Contents("""{ "@type": ["Property", "Commercial"], "name": "p", "schema": "double", "brand": "Honeywell" }""", version: 2));
        Dtdl.Invalid("property.undefined", Dtdl.Contents("""{ "@type": "Property", "name": "p", "schema": "double", "brand": "Honeywell" }""", version: 2));
    }

    [Fact]
    public void Language_maps_and_tagged_values_are_read()
    {
        var models = Dtdl.Valid(Dtdl.Interface("""
            "displayName": [ { "@value": "Pump", "@language": "en" }, { "@value": "Pumpe", "@language": "de" } ],
            "description": { "en": "A pump", "fr-CA": "Une pompe" }
            """));
        var i = models.Find("dtmi:test:Thing;1")!;
        Assert.Equal("Pumpe", i.DisplayName!.Values["de"]);
        Assert.Equal("Une pompe", i.Description!.Values["fr-CA"]);
        Dtdl.Invalid("language.duplicate", Dtdl.Interface("""
            "displayName": [ { "@value": "a", "@language": "de" }, { "@value": "b", "@language": "de" } ]
            """));
    }

    [Fact]
    public void V3_allows_versionless_and_two_part_dtmis()
    {
        Dtdl.Valid(Dtdl.Interface(string.Empty, "dtmi:test:NoVersion"), Dtdl.Interface(string.Empty, "dtmi:test:TwoPart;1.2"));
    }

    [Fact]
    public void Errors_carry_the_source_name()
    {
        var result = new ModelParser().Parse([
            new ModelSource("good.json", Dtdl.Interface(string.Empty, "dtmi:test:A;1")),
            new ModelSource("upload[1]", Dtdl.Contents(P("bad name")))]);
        var error = Assert.Single(result.Errors);
        Assert.Equal("upload[1]", error.Source);
        Assert.Contains("bad name", error.Message, StringComparison.Ordinal);
    }
}
