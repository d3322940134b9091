using System.Text.Json;

namespace TwinCluster.Modeling.Tests;

/// <summary>Wire values of every primitive schema, accepted and rejected.</summary>
public sealed class PrimitiveValueTests
{
    private static readonly string[] s_kinds =
    [
        "boolean", "date", "dateTime", "double", "duration", "float", "integer", "long", "string", "time",
        "byte", "bytes", "decimal", "short", "unsignedByte", "unsignedShort", "unsignedInteger", "unsignedLong", "uuid",
        "point", "lineString", "polygon", "multiPoint", "multiLineString", "multiPolygon",
    ];

    private static readonly ModelSet s_models = Dtdl.Valid(Dtdl.Interface(
        "\"contents\": [" + string.Join(",", s_kinds.Select(k => $$"""{ "@type": "Telemetry", "name": "{{k}}", "schema": "{{k}}" }""")) + "]",
        version: 4));

    private static IReadOnlyList<ModelError> Check(string kind, string json) =>
        TwinValidator.ValidateTelemetry(s_models.Find("dtmi:test:Thing;1")!, s_models, kind, JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("boolean", "true")]
    [InlineData("date", "\"2026-11-25\"")]
    [InlineData("dateTime", "\"2026-11-25T17:16:10.123+01:00\"")]
    [InlineData("dateTime", "\"2026-11-25T17:16:10Z\"")]
    [InlineData("double", "-1.5e300")]
    [InlineData("duration", "\"P1Y2M3DT4H5M6.5S\"")]
    [InlineData("duration", "\"PT0.5S\"")]
    [InlineData("float", "3.4e38")]
    [InlineData("integer", "-2147483648")]
    [InlineData("long", "9223372036854775807")]
    [InlineData("string", "\"\"")]
    [InlineData("time", "\"23:59:60\"")]
    [InlineData("time", "\"08:30:00.250Z\"")]
    [InlineData("byte", "-128")]
    [InlineData("bytes", "\"AAEC\"")]
    [InlineData("decimal", "\"12345678901234567890.5\"")]
    [InlineData("short", "32767")]
    [InlineData("unsignedByte", "255")]
    [InlineData("unsignedShort", "65535")]
    [InlineData("unsignedInteger", "4294967295")]
    [InlineData("unsignedLong", "18446744073709551615")]
    [InlineData("uuid", "\"0f8fad5b-d9cb-469f-a165-70867728950e\"")]
    [InlineData("point", """{ "type": "Point", "coordinates": [8.5, 47.4] }""")]
    [InlineData("lineString", """{ "type": "LineString", "coordinates": [[8.5, 47.4], [8.6, 47.5, 400]] }""")]
    [InlineData("polygon", """{ "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]] }""")]
    [InlineData("multiPolygon", """{ "type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] }""")]
    public void Valid_wire_value_is_accepted(string kind, string json) => Assert.Empty(Check(kind, json));

    [Theory]
    [InlineData("boolean", "\"true\"")]
    [InlineData("date", "\"2026-13-01\"")]
    [InlineData("date", "\"25.11.2026\"")]
    [InlineData("dateTime", "\"2026-11-25 17:16\"")]
    [InlineData("dateTime", "\"2026-11-25T17:16:10\"")]
    [InlineData("double", "\"1.5\"")]
    [InlineData("duration", "\"P\"")]
    [InlineData("duration", "\"PT\"")]
    [InlineData("duration", "\"5 minutes\"")]
    [InlineData("float", "1e39")]
    [InlineData("integer", "2147483648")]
    [InlineData("integer", "1.0000001")]
    [InlineData("long", "9223372036854775808")]
    [InlineData("string", "5")]
    [InlineData("time", "\"24:00:00\"")]
    [InlineData("time", "\"8:30\"")]
    [InlineData("byte", "128")]
    [InlineData("bytes", "\"not base64!\"")]
    [InlineData("decimal", "\"ten\"")]
    [InlineData("short", "32768")]
    [InlineData("unsignedByte", "-1")]
    [InlineData("unsignedShort", "65536")]
    [InlineData("unsignedInteger", "-1")]
    [InlineData("unsignedLong", "-1")]
    [InlineData("uuid", "\"0f8fad5b\"")]
    [InlineData("point", """{ "type": "Point", "coordinates": [8.5] }""")]
    [InlineData("point", """{ "type": "LineString", "coordinates": [8.5, 47.4] }""")]
    [InlineData("multiPoint", """[8.5, 47.4]""")]
    [InlineData("multiLineString", """{ "type": "MultiLineString", "coordinates": [[8.5, 47.4]] }""")]
    public void Invalid_wire_value_is_rejected(string kind, string json)
    {
        var error = Assert.Single(Check(kind, json));
        Assert.Equal("telemetry.type", error.Code);
        Assert.Equal($"$.{kind}", error.Path);
    }
}
