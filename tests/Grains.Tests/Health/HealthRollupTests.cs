using System.Collections.Immutable;
using TwinCluster.Grains.Health;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Tests.Health;

/// <summary>The roll-up rule on reports made up here: worst-of, weights, weighted mean, counts, paths, when to re-report.</summary>
public sealed class HealthRollupTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static TwinHealth Component(string id, HealthStatus status, double index, string fault = "Normal") =>
        new(id, "dtmi:test:Bearing;1", status, index, id, "Bearing", [], $"{fault} summary of {id}", fault, null, null,
            1, status == HealthStatus.Alarm ? 1 : 0, status == HealthStatus.Warning ? 1 : 0, 1, Now);

    [Fact]
    public void Worst_of_takes_the_worst_status_and_the_lowest_index_and_names_the_source_with_its_path()
    {
        var turbine = HealthRollup.Combine("wt-1", "dtmi:test:Turbine;1", null,
        [
            (Component("wt-1-a", HealthStatus.Normal, 0.95), 1),
            (Component("wt-1-b", HealthStatus.Warning, 0.70, "InnerRace"), 1),
            (Component("wt-1-c", HealthStatus.Normal, 0.60), 1),   // lower index, better status
        ], HealthRule.WorstOf, Now);

        Assert.Equal(HealthStatus.Warning, turbine.Status);
        Assert.Equal(0.60, turbine.Index!.Value, 6);
        Assert.Equal("wt-1-b", turbine.SourceId);
        Assert.Equal(["wt-1-b"], turbine.SourcePath);
        Assert.Equal((3, 0, 1), (turbine.Monitored, turbine.Alarms, turbine.Warnings));

        var farm = HealthRollup.Combine("farm", "dtmi:test:Farm;1", null, [(turbine with { Version = 1 }, 1)], HealthRule.WorstOf, Now);
        Assert.Equal(["wt-1", "wt-1-b"], farm.SourcePath);
        Assert.Equal("InnerRace", farm.Fault);
        var text = farm.Explain();
        Assert.StartsWith("farm Warning: Bearing wt-1-b: InnerRace summary of wt-1-b", text, StringComparison.Ordinal);
        Assert.EndsWith("0 alarms, 1 warning among 3 monitored components", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_scale_a_childs_loss_of_health_and_weight_zero_leaves_it_out()
    {
        ImmutableArray<(TwinHealth, double)> children =
        [
            (Component("a", HealthStatus.Alarm, 0.2), 0.5),
            (Component("b", HealthStatus.Normal, 0.9), 1),
            (Component("c", HealthStatus.Alarm, 0.0), 0),
        ];
        var worst = HealthRollup.Combine("t", "m", null, children, HealthRule.WorstOf, Now);
        Assert.Equal(HealthStatus.Alarm, worst.Status);   // any weight above zero passes the status up
        Assert.Equal(0.6, worst.Index!.Value, 6);          // 1 − 0.5 × (1 − 0.2)
        Assert.Equal("a", worst.SourceId);
        Assert.Equal(2, worst.Monitored);                  // c is shown, not counted

        var mean = HealthRollup.Combine("t", "m", null, children, HealthRule.WeightedMean, Now);
        Assert.Equal((0.5 * 0.2 + 0.9) / 1.5, mean.Index!.Value, 6);
        Assert.Equal(HealthStatus.Alarm, mean.Status);
    }

    [Fact]
    public void Own_condition_counts_with_the_children_and_nothing_reported_is_unknown()
    {
        var own = Component("gb", HealthStatus.Normal, 0.9);
        var both = HealthRollup.Combine("gb", "m", own, [(Component("gb-hs", HealthStatus.Alarm, 0.4), 1)], HealthRule.WorstOf, Now);
        Assert.Equal(("gb-hs", 2), (both.SourceId, both.Monitored));

        var alone = HealthRollup.Combine("gb", "m", own, [], HealthRule.WorstOf, Now);
        Assert.Empty(alone.SourcePath);
        Assert.Equal("gb", alone.SourceId);

        var none = HealthRollup.Combine("t", "m", null, [(TwinHealth.Unknown("x", "m"), 1)], HealthRule.WorstOf, Now);
        Assert.Equal(HealthStatus.Unknown, none.Status);
        Assert.Null(none.Index);
        Assert.Equal("t Unknown: no monitored component has reported yet", none.Explain());
    }

    [Fact]
    public void A_health_is_reported_again_only_when_it_changed_enough()
    {
        var last = Component("a", HealthStatus.Normal, 0.90);
        Assert.True(HealthRollup.Differs(null, last, 0.05, TimeSpan.FromMinutes(10)));
        Assert.False(HealthRollup.Differs(null, TwinHealth.Unknown("a", "m"), 0.05, TimeSpan.FromMinutes(10)));
        Assert.False(HealthRollup.Differs(last, last with { Index = 0.87, Summary = "other words" }, 0.05, TimeSpan.FromMinutes(10)));
        Assert.True(HealthRollup.Differs(last, last with { Index = 0.85 }, 0.05, TimeSpan.FromMinutes(10)));
        Assert.True(HealthRollup.Differs(last, last with { Status = HealthStatus.Warning }, 0.05, TimeSpan.FromMinutes(10)));
        Assert.False(HealthRollup.Differs(last, last with { Fault = "Unknown" }, 0.05, TimeSpan.FromMinutes(10)));   // still normal
        var warning = last with { Status = HealthStatus.Warning };
        Assert.True(HealthRollup.Differs(warning, warning with { Fault = "OuterRace" }, 0.05, TimeSpan.FromMinutes(10)));
        Assert.True(HealthRollup.Differs(last, last with { Warnings = 1 }, 0.05, TimeSpan.FromMinutes(10)));
        Assert.True(HealthRollup.Differs(last, last with { RulSeconds = 3600 }, 0.05, TimeSpan.FromMinutes(10)));
        // New wording alone waits for the refresh interval.
        var later = last with { Summary = "velocity 1.2 mm/s", UpdatedAt = Now.AddMinutes(11) };
        Assert.True(HealthRollup.Differs(last, later, 0.05, TimeSpan.FromMinutes(10)));
        Assert.False(HealthRollup.Differs(last, later with { Summary = last.Summary }, 0.05, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void Settings_out_of_range_are_named()
    {
        var options = new HealthOptions
        {
            IndexDeadband = 2,
            Weights = [new HealthWeight { Model = "MainBearing", Weight = 0.5 }, new HealthWeight { Model = "dtmi:x:Y;1", Weight = 1.5 }],
        };
        var problems = options.Problems().ToList();
        Assert.Contains("TwinCluster:Health:IndexDeadband 2 must be between 0 and 1", problems);
        Assert.Contains(problems, p => p.StartsWith("TwinCluster:Health:Weights:0:Model 'MainBearing'", StringComparison.Ordinal));
        Assert.Contains("TwinCluster:Health:Weights:1:Weight 1.5 must be between 0 and 1", problems);
        Assert.Empty(new HealthOptions().Problems());
    }
}
