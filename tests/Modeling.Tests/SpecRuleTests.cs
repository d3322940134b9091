namespace TwinCluster.Modeling.Tests;

/// <summary>
/// Rules taken from the specification's property tables (required, data type and cardinality, limits) applied to
/// combinations no conformance case shows: typed literals in enum values, several values where the table allows one,
/// required properties missing in unusual places.
/// </summary>
public sealed class SpecRuleTests
{
    private static string Enum(string valueSchema, string enumValue) => Dtdl.Contents(
        $$"""{ "@type": "Property", "name": "p", "schema": { "@type": "Enum", "valueSchema": "{{valueSchema}}", "enumValues": [ { "name": "a", "enumValue": {{enumValue}} } ] } }""");

    [Fact]
    public void Typed_enum_values_must_agree_with_their_xsd_type()
    {
        Dtdl.Valid(Enum("integer", """{ "@value": 1, "@type": "xsd:integer" }"""));
        Dtdl.Valid(Enum("string", """{ "@value": "on", "@type": "http://www.w3.org/2001/XMLSchema#string" }"""));
        Dtdl.Invalid("value.type", Enum("integer", """{ "@value": "1", "@type": "xsd:integer" }"""));
        Dtdl.Invalid("value.type", Enum("string", """{ "@value": 2, "@type": "xsd:string" }"""));
        Dtdl.Invalid("value.type", Enum("string", """{ "@value": "on", "@type": "xsd:boolean" }"""));
        Dtdl.Invalid("value.type", Enum("string", """{ "@value": "on", "@language": "en" }"""));
    }

    [Fact]
    public void A_property_the_table_gives_one_value_refuses_two()
    {
        var e = Dtdl.Invalid("value.count", Dtdl.Contents("""{ "@type": "Property", "name": "p", "schema": "double", "writable": [true, false] }"""));
        Assert.Contains("DTDL v3 Property table", e.Message, StringComparison.Ordinal);
        Assert.Contains("contents[0].writable", e.Path, StringComparison.Ordinal);
        Dtdl.Invalid("value.count", Dtdl.Contents("""{ "@type": "Telemetry", "name": "t", "schema": ["double", "float"] }"""));
        Dtdl.Invalid("value.count", Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "target": ["dtmi:test:A;1", "dtmi:test:B;1"] }"""));
        Dtdl.Valid(Dtdl.Contents("""{ "@type": "Property", "name": "p", "schema": ["double"], "displayName": ["one", { "@value": "eins", "@language": "de" }] }"""));
    }

    [Fact]
    public void Required_properties_of_the_tables_hold_on_nested_elements()
    {
        var e = Dtdl.Invalid("property.missing", Dtdl.Contents("""{ "@type": "Command", "name": "c", "response": { "name": "r" } }"""));
        Assert.Contains("schema", e.Message, StringComparison.Ordinal);
        Dtdl.Invalid("property.missing", Dtdl.Contents("""{ "@type": "Property", "name": "m", "schema": { "@type": "Map", "mapKey": { "schema": "string" }, "mapValue": { "name": "v", "schema": "double" } } }"""));
        Dtdl.Invalid("property.missing", Dtdl.Contents("""{ "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "string", "enumValues": [ { "name": "x" } ] } }"""));
        Dtdl.Invalid("property.missing", Dtdl.Contents("""{ "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "string" } }""", version: 2));
        Dtdl.Valid(Dtdl.Contents("""{ "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "string" } }"""));
    }

    [Fact]
    public void Multiplicity_limits_come_from_the_relationship_tables_of_each_version()
    {
        var v2 = Dtdl.Invalid("multiplicity.invalid", Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "maxMultiplicity": 501 }""", version: 2));
        Assert.Contains("must be <= 500", v2.Message, StringComparison.Ordinal);
        Dtdl.Valid(Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "maxMultiplicity": 501 }"""));
        Dtdl.Invalid("multiplicity.invalid", Dtdl.Contents("""{ "@type": "Relationship", "name": "r", "minMultiplicity": 1 }"""));
    }

    [Fact]
    public void A_unit_without_a_semantic_type_is_refused_wherever_it_appears()
    {
        const string q = """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"]""";
        Dtdl.Invalid("property.irrelevant", $$"""{ "@context": {{q}}, "@id": "dtmi:test:T;1", "@type": "Interface", "contents": [ { "@type": "Telemetry", "name": "t", "schema": "double", "unit": "metre" } ] }""");
        Dtdl.Invalid("property.irrelevant", $$"""{ "@context": {{q}}, "@id": "dtmi:test:T;1", "@type": "Interface", "contents": [ { "@type": "Command", "name": "c", "request": { "name": "r", "schema": "double", "unit": "metre" } } ] }""");
    }
}
