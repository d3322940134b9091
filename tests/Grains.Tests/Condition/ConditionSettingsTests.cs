using TwinCluster.Grains.Condition;

namespace TwinCluster.Grains.Tests.Condition;

/// <summary>Per-model window and alert settings: which entry a twin gets, and settings out of range named.</summary>
public sealed class ConditionSettingsTests
{
    private static readonly ConditionSettings Settings = new()
    {
        WindowSeconds = 2,
        Models =
        [
            new ModelConditionSettings { Model = "dtmi:x:Bearing;1", Overlap = 0.75 },
            new ModelConditionSettings { Model = "dtmi:x:MainBearing;1", WindowSeconds = 30, MinRevolutionsPerWindow = 3, SlowShaftWindowSeconds = 120 },
        ],
    };

    [Fact]
    public void A_twin_takes_its_own_models_entry_else_its_nearest_bases_else_the_defaults()
    {
        var main = Settings.For("dtmi:x:MainBearing;1", ["dtmi:x:Bearing;1"]);
        Assert.Equal((30.0, 0.5, 3.0), (main.WindowSeconds, main.Overlap, main.MinRevolutionsPerWindow));
        Assert.Equal(120, main.SlowShaftWindowSeconds);

        var derived = Settings.For("dtmi:x:GeneratorBearing;1", ["dtmi:x:Bearing;1", "dtmi:x:Component;1"]);
        Assert.Equal((2.0, 0.75), (derived.WindowSeconds, derived.Overlap));

        var other = Settings.For("dtmi:x:Gearbox;1", []);
        Assert.Equal((2.0, 0.5, 5.0), (other.WindowSeconds, other.Overlap, other.MinRevolutionsPerWindow));
        Assert.Equal(60, other.SlowShaftWindowSeconds);   // the default record of a main bearing on the slow-shaft path
        Assert.Empty(Settings.Problems());
    }

    [Fact]
    public void Settings_out_of_range_are_named()
    {
        var bad = new ConditionSettings
        {
            Overlap = 0.95,
            Models =
            [
                new ModelConditionSettings { Model = "Bearing", WindowSeconds = 1 },
                new ModelConditionSettings { Model = "dtmi:x:Gearbox;1", Overlap = 0.5, WarningHealth = 0.4, AlarmHealth = 0.5 },
                new ModelConditionSettings { Model = "dtmi:x:MainBearing;1", Overlap = 0.5, SlowShaftWindowSeconds = -1 },
            ],
        };
        var problems = bad.Problems().ToList();
        Assert.Contains(problems, p => p.StartsWith("TwinCluster:Condition: ConditionOptions.Overlap must be in [0, 0.9]", StringComparison.Ordinal));
        Assert.Contains("TwinCluster:Condition:Models:0:Model 'Bearing' must be a model id (dtmi:…)", problems);
        Assert.Contains(problems, p => p.StartsWith("TwinCluster:Condition:Models:1 (dtmi:x:Gearbox;1): ConditionOptions.WarningHealth", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TwinCluster:Condition:Models:2 (dtmi:x:MainBearing;1): ConditionOptions.SlowShaftWindowSeconds", StringComparison.Ordinal));
    }
}
