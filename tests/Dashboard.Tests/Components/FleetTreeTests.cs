using System.Collections.Immutable;
using TwinCluster.Dashboard.Services;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Tests.Components;

public sealed class FleetTreeTests
{
    private static TwinHealth Health(string id, HealthStatus status, double? index, long version = 1, int alarms = 0, int warnings = 0) =>
        TwinHealth.Unknown(id, "m") with { Status = status, Index = index, Version = version, Alarms = alarms, Warnings = warnings };

    private static TwinChange Change(TwinHealth h) => new(0, TwinChangeKind.Health, h.TwinId, [h.TwinId], DateTimeOffset.UtcNow, h, null);

    [Fact]
    public void Each_level_is_ordered_worst_first_then_by_lowest_health_then_by_id()
    {
        var tree = new FleetTree();
        tree.SetRoots([
            ("b-normal", "m", Health("b-normal", HealthStatus.Normal, 0.9)),
            ("a-unknown", "m", null),
            ("c-alarm", "m", Health("c-alarm", HealthStatus.Alarm, 0.4)),
            ("d-warning-low", "m", Health("d-warning-low", HealthStatus.Warning, 0.6)),
            ("e-warning-high", "m", Health("e-warning-high", HealthStatus.Warning, 0.7)),
            ("a-normal", "m", Health("a-normal", HealthStatus.Normal, 0.9)),
        ]);

        Assert.Equal(["c-alarm", "d-warning-low", "e-warning-high", "a-normal", "b-normal", "a-unknown"], tree.Roots.Select(r => r.Id));
    }

    [Fact]
    public void Only_expanded_children_are_visible_in_depth_first_order()
    {
        var tree = new FleetTree();
        tree.SetRoots([("farm", "m", null)]);
        var farm = tree.Roots[0];
        tree.SetChildren(farm, [("wt-2", "m", Health("wt-2", HealthStatus.Normal, 0.9)), ("wt-1", "m", Health("wt-1", HealthStatus.Alarm, 0.3))]);
        Assert.Equal(["farm"], tree.Visible().Select(n => n.Id));

        farm.Expanded = true;
        var wt1 = tree.Find("wt-1")!;
        tree.SetChildren(wt1, [("wt-1-mb", "m", null)]);
        wt1.Expanded = true;
        Assert.Equal(["farm", "wt-1", "wt-1-mb", "wt-2"], tree.Visible().Select(n => n.Id));
        Assert.Equal(2, tree.Find("wt-1-mb")!.Depth);
        Assert.False(tree.Find("wt-1-mb")!.Children is not null);
    }

    [Fact]
    public void A_live_health_change_updates_the_row_and_moves_it_up_among_its_siblings()
    {
        var tree = new FleetTree();
        tree.SetRoots([("farm", "m", null)]);
        var farm = tree.Roots[0];
        tree.SetChildren(farm, [("wt-1", "m", Health("wt-1", HealthStatus.Normal, 0.95)), ("wt-2", "m", Health("wt-2", HealthStatus.Normal, 0.9))]);
        Assert.Equal("wt-2", farm.Children![0].Id);

        Assert.True(tree.Apply([Change(Health("wt-1", HealthStatus.Warning, 0.7, version: 2, warnings: 1))]));

        Assert.Equal("wt-1", farm.Children[0].Id);
        Assert.Equal(HealthStatus.Warning, farm.Children[0].Status);
        Assert.Equal(1, farm.Children[0].Health!.Warnings);
    }

    [Fact]
    public void An_older_report_or_a_twin_not_loaded_changes_nothing()
    {
        var tree = new FleetTree();
        tree.SetRoots([("wt-1", "m", Health("wt-1", HealthStatus.Alarm, 0.4, version: 5))]);

        Assert.False(tree.Apply([Change(Health("wt-1", HealthStatus.Normal, 0.9, version: 4))]));
        Assert.False(tree.Apply([Change(Health("elsewhere", HealthStatus.Alarm, 0.1))]));
        Assert.Equal(HealthStatus.Alarm, tree.Roots[0].Status);
    }

    [Fact]
    public void Search_matches_id_or_model_case_insensitively_and_stops_at_the_limit()
    {
        FleetEntry[] all = [new("wt-01-gen-de", "dtmi:x:Bearing;1", "wt-01-gen"), new("wt-02", "dtmi:x:Turbine;1", "farm-1"), new("WT-03", "dtmi:x:Turbine;1", "farm-1")];

        Assert.Equal(["wt-01-gen-de"], FleetIndex.Search(all, "bearing", 10).Select(e => e.Id));
        Assert.Equal(["WT-03", "wt-01-gen-de", "wt-02"], FleetIndex.Search(all, "wt-0", 10).Select(e => e.Id));
        Assert.Single(FleetIndex.Search(all, "turbine", 1));
        Assert.Empty(FleetIndex.Search(all, "  ", 10));
    }
}
