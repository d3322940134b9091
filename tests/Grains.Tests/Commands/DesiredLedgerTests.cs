using System.Text.Json;
using TwinCluster.Grains.Commands;
using TwinCluster.Grains.Interfaces;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Commands;

public sealed class DesiredLedgerTests
{
    private static readonly TwinCluster.Modeling.InterfaceModel Model = CommandModels.Parse();

    [Fact]
    public void Only_changed_writable_properties_become_desired_values()
    {
        var changes = DesiredLedger.Changes(Model, """{"maxPowerKW":1000,"samplingRateHz":100,"serial":"a"}""",
            """{"maxPowerKW":1200,"samplingRateHz":100,"serial":"b"}""");
        Assert.Equal(["maxPowerKW"], changes.Keys);
        Assert.Equal("1200", changes["maxPowerKW"]);
        Assert.Null(DesiredLedger.Changes(Model, """{"samplingRateHz":100}""", "{}")["samplingRateHz"]);
    }

    [Fact]
    public void A_set_bumps_the_version_and_the_document_carries_every_desired_value()
    {
        var ledger = new DesiredLedger(new DesiredState());
        Assert.False(ledger.Set(new Dictionary<string, string?>(), T0));
        Assert.True(ledger.Set(new Dictionary<string, string?> { ["maxPowerKW"] = "1200" }, T0));
        Assert.True(ledger.Set(new Dictionary<string, string?> { ["samplingRateHz"] = "200" }, T0));
        using var document = JsonDocument.Parse(ledger.Document());
        Assert.Equal(2, document.RootElement.GetProperty("$version").GetInt64());
        Assert.Equal(1200, document.RootElement.GetProperty("maxPowerKW").GetDouble());
        var view = ledger.View("d1");
        Assert.Equal([1L, 2L], view.Properties.Select(p => p.Version));
        Assert.All(view.Properties, p => Assert.Equal(DesiredAckState.Pending, p.State));
        Assert.False(view.Pushed);
    }

    [Fact]
    public void Acknowledgements_accept_refuse_or_leave_stale()
    {
        var ledger = new DesiredLedger(new DesiredState());
        ledger.Set(new Dictionary<string, string?> { ["maxPowerKW"] = "1200" }, T0);
        ledger.Set(new Dictionary<string, string?> { ["samplingRateHz"] = "200" }, T0);
        Assert.True(ledger.Acknowledge(new DesiredAck("maxPowerKW", "1200", 200, 2, "applied"), T0));
        Assert.True(ledger.Acknowledge(new DesiredAck("samplingRateHz", "100", 400, 2, "the sensor does 100 Hz only"), T0));
        Assert.False(ledger.Acknowledge(new DesiredAck("serial", "\"x\"", 200, 2, null), T0));
        var view = ledger.View("d1").Properties.ToDictionary(p => p.Name);
        Assert.Equal(DesiredAckState.Accepted, view["maxPowerKW"].State);
        Assert.Equal("1200", view["maxPowerKW"].ReportedJson);
        Assert.Equal(DesiredAckState.Refused, view["samplingRateHz"].State);
        Assert.Equal("the sensor does 100 Hz only", view["samplingRateHz"].AckDescription);

        // A new desired value; the device's answer to the previous version is stale.
        ledger.Set(new Dictionary<string, string?> { ["maxPowerKW"] = "900" }, T0);
        ledger.Acknowledge(new DesiredAck("maxPowerKW", "1200", 200, 2, "applied"), T0);
        Assert.Equal(DesiredAckState.Stale, ledger.View("d1").Properties.Single(p => p.Name == "maxPowerKW").State);
        ledger.Acknowledge(new DesiredAck("maxPowerKW", "900", 202, 3, "ramping"), T0);
        Assert.Equal(DesiredAckState.Pending, ledger.View("d1").Properties.Single(p => p.Name == "maxPowerKW").State);
    }

    [Fact]
    public void A_reported_patch_records_the_devices_values_of_desired_properties_only()
    {
        var ledger = new DesiredLedger(new DesiredState());
        ledger.Set(new Dictionary<string, string?> { ["maxPowerKW"] = "1200", ["a/b~c"] = "1" }, T0);

        Assert.False(ledger.ReportedPatch("""[{"op":"replace","path":"/serial","value":"x"},{"op":"remove","path":"/maxPowerKW"}]"""));
        Assert.True(ledger.ReportedPatch("""[{"op":"replace","path":"/maxPowerKW","value":900},{"op":"add","path":"/a~1b~0c","value":2}]"""));

        var view = ledger.View("d1").Properties.ToDictionary(p => p.Name);
        Assert.Equal("900", view["maxPowerKW"].ReportedJson);
        Assert.Equal("1200", view["maxPowerKW"].DesiredJson);
        Assert.Equal("2", view["a/b~c"].ReportedJson);
    }
}
