using Bunit;
using TwinCluster.Dashboard.Components.Shared;
using TwinCluster.Dashboard.Services;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Tests.Components;

/// <summary>bUnit: a fleet row as rendered markup; its "why" is the health's explanation, never the model id.</summary>
public sealed class FleetRowTests : BunitContext
{
    private const string TurbineModel = "dtmi:twincluster:windfarm:Turbine;1";
    private const string BearingModel = "dtmi:twincluster:windfarm:Bearing;1";

    private static TwinHealth Bearing(HealthStatus status, string summary) =>
        TwinHealth.Unknown("wt-01-gen-de", BearingModel) with
        {
            Status = status, Index = 0.72, SourceId = "wt-01-gen-de", SourceLabel = "Generator bearing", Summary = summary,
            Fault = "OuterRace", Monitored = 1, Warnings = status == HealthStatus.Warning ? 1 : 0, Version = 3,
        };

    [Fact]
    public void A_warning_component_says_its_diagnosis_and_evidence()
    {
        const string summary = "outer-race defect (confidence 0.95), BPFO line +21 dB with 3 harmonics, velocity 0.8 mm/s, zone A, health 0.72, no RUL trend yet";
        var node = new FleetNode("wt-01-gen-de", BearingModel, 2) { Health = Bearing(HealthStatus.Warning, summary), MayHaveChildren = false };

        var row = Render<FleetRow>(p => p.Add(r => r.Node, node));

        var why = row.Find("[data-testid=why]");
        Assert.Equal("Generator bearing: " + summary, why.TextContent);
        Assert.Equal(why.TextContent, why.GetAttribute("title"));
        Assert.DoesNotContain("dtmi:", why.TextContent, StringComparison.Ordinal);
        Assert.Equal("Warning", row.Find(".fleet-row").GetAttribute("data-status"));
        Assert.Equal("/condition/wt-01-gen-de", row.Find("a").GetAttribute("href"));
        Assert.Equal("1", row.FindAll(".fleet-num")[2].TextContent);
    }

    [Fact]
    public void A_turbine_names_the_component_that_decides_and_an_alarm_counts_among_its_children()
    {
        var normal = TwinHealth.Unknown("wt-02", TurbineModel) with
        {
            Status = HealthStatus.Normal, Index = 0.89, SourceId = "wt-02-mb", SourceLabel = "Main bearing", SourcePath = ["wt-02-mb"],
            Summary = "no fault signature, velocity 0.5 mm/s, zone A, health 0.89, no RUL trend yet", Monitored = 7, Version = 1,
        };
        var alarm = normal with
        {
            Status = HealthStatus.Alarm, Index = 0.41, Alarms = 1, Fault = "OuterRace",
            Summary = "outer-race defect (confidence 0.97), BPFO line +18 dB with 3 harmonics, velocity 4.1 mm/s, zone C, health 0.41, RUL 19 days ±6",
        };

        var row = Render<FleetRow>(p => p.Add(r => r.Node, new FleetNode("wt-02", TurbineModel, 1) { Health = normal }));
        Assert.Equal("all 7 monitored components normal; lowest health 0.89 at Main bearing wt-02-mb", row.Find("[data-testid=why]").TextContent);
        Assert.Equal("/twin/wt-02", row.Find("a").GetAttribute("href"));

        row = Render<FleetRow>(p => p.Add(r => r.Node, new FleetNode("wt-02", TurbineModel, 1) { Health = alarm }));
        var why = row.Find("[data-testid=why]").TextContent;
        Assert.StartsWith("Main bearing wt-02-mb: outer-race defect (confidence 0.97), BPFO line +18 dB", why, StringComparison.Ordinal);
        Assert.EndsWith("; 1 alarm, 0 warnings among 7 monitored components", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_twin_without_reports_says_so_instead_of_its_model()
    {
        var row = Render<FleetRow>(p => p.Add(r => r.Node, new FleetNode("big-0001-b3", "dtmi:twincluster:windfarm:Blade;1", 2)));
        Assert.Equal("no health reported yet", row.Find("[data-testid=why]").TextContent);

        var unknown = new FleetNode("farm-big", "dtmi:twincluster:windfarm:WindFarm;1", 0) { Health = TwinHealth.Unknown("farm-big", "dtmi:twincluster:windfarm:WindFarm;1") };
        row = Render<FleetRow>(p => p.Add(r => r.Node, unknown));
        Assert.Equal("no monitored component has reported yet", row.Find("[data-testid=why]").TextContent);
        Assert.Equal("–", row.FindAll(".fleet-num")[0].TextContent);
    }

    [Fact]
    public void The_toggle_asks_the_page_to_open_the_node()
    {
        FleetNode? toggled = null;
        var node = new FleetNode("farm-1", "dtmi:twincluster:windfarm:WindFarm;1", 0);
        var row = Render<FleetRow>(p => p.Add(r => r.Node, node).Add(r => r.OnToggle, (FleetNode n) => toggled = n));

        Assert.Equal("▸", row.Find("[data-testid=toggle-farm-1]").TextContent);
        row.Find("[data-testid=toggle-farm-1]").Click();
        Assert.Same(node, toggled);
    }
}
