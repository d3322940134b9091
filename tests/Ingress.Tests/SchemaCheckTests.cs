using TwinCluster.Ingress.Admission;
using TwinCluster.Wire;
using TwinCluster.Modeling;

namespace TwinCluster.Ingress.Tests;

public sealed class SchemaCheckTests
{
    private const string Gearbox = """
        {"@context":["dtmi:dtdl:context;3","dtmi:dtdl:extension:quantitativeTypes;1"],"@id":"dtmi:test:Gearbox;1","@type":"Interface",
         "contents":[{"@type":["Telemetry","Temperature"],"name":"oilTemperature","schema":"double","unit":"degreeCelsius"}]}
        """;

    private const string Bearing = """
        {"@context":["dtmi:dtdl:context;3","dtmi:dtdl:extension:quantitativeTypes;1"],"@id":"dtmi:test:Bearing;1","@type":"Interface",
         "contents":[
           {"@type":["Telemetry","Acceleration"],"name":"vibration","schema":"double","unit":"gForce"},
           {"@type":"Telemetry","name":"spectrum","schema":{"@type":"Array","elementSchema":"float"}},
           {"@type":"Telemetry","name":"pulses","schema":"integer"},
           {"@type":"Telemetry","name":"state","schema":"string"},
           {"@type":"Component","name":"gearbox","schema":"dtmi:test:Gearbox;1"}]}
        """;

    private static readonly ModelSet Models = Parse();
    private static readonly InterfaceModel Model = Models.Find("dtmi:test:Bearing;1")!;

    private static ModelSet Parse()
    {
        var result = new ModelParser().Parse([new ModelSource("gearbox.json", Gearbox), new ModelSource("bearing.json", Bearing)]);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Models!;
    }

    private static Rejection? Check(string values, string units = "")
    {
        var json = Samples.Json(values, units.Length == 0 ? "" : $",\"units\":{units}");
        var decoded = JsonTelemetryCodec.Decode(Samples.Utf8(json), Samples.Twin, IngressLimits.Default);
        Assert.True(decoded.IsSuccess, decoded.ToString());
        return TelemetrySchemaCheck.Check(decoded.Message, Model, Models);
    }

    [Theory]
    [InlineData("""{"vibration":[0.1,-0.2,3]}""", "")]
    [InlineData("""{"vibration":0.5}""", """{"vibration":"gForce"}""")]
    [InlineData("""{"spectrum":[1,2,3]}""", "")]
    [InlineData("""{"pulses":[1,2,2147483647]}""", "")]
    [InlineData("""{"gearbox/oilTemperature":55.5}""", """{"gearbox/oilTemperature":"degreeCelsius"}""")]
    public void Telemetry_that_fits_the_model_passes(string values, string units)
    {
        Assert.Null(Check(values, units));
    }

    [Theory]
    [InlineData("""{"noise":[1]}""", "", "unknown-telemetry", "values.noise")]
    [InlineData("""{"gearbox/noise":1}""", "", "unknown-telemetry", "values.gearbox/noise")]
    [InlineData("""{"other/oilTemperature":1}""", "", "unknown-telemetry", "values.other/oilTemperature")]
    [InlineData("""{"vibration":[1],"pulses":[1,2.5]}""", "", "schema-mismatch", "values.pulses[1]")]
    [InlineData("""{"pulses":1.5}""", "", "schema-mismatch", "values.pulses")]
    [InlineData("""{"pulses":[1,3000000000]}""", "", "schema-mismatch", "values.pulses[1]")]
    [InlineData("""{"spectrum":[1,1e39]}""", "", "schema-mismatch", "values.spectrum[1]")]
    [InlineData("""{"state":1}""", "", "schema-mismatch", "values.state")]
    [InlineData("""{"vibration":[1]}""", """{"vibration":"metrePerSecondSquared"}""", "unit-mismatch", "values.vibration")]
    [InlineData("""{"pulses":[1]}""", """{"pulses":"hertz"}""", "unit-mismatch", "values.pulses")]
    public void Telemetry_that_does_not_fit_is_refused_naming_the_field(string values, string units, string code, string field)
    {
        var rejection = Check(values, units);
        Assert.NotNull(rejection);
        Assert.Equal(code, rejection.Code);
        Assert.Contains(field, rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_block_is_checked_the_same_way()
    {
        Assert.Null(TelemetrySchemaCheck.Check(Samples.Block(), Model, Models));
        var unknown = Samples.Block(channels: 2);
        Assert.Equal("unknown-telemetry", TelemetrySchemaCheck.Check(unknown, Model, Models)!.Code);
    }
}
