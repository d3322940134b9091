using TwinCluster.Grains.Health;
using TwinCluster.Grains.Tests.Engines;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Health;

public sealed class ContainmentPathTests
{
    [Fact]
    public void A_path_is_asked_for_when_none_is_held_when_it_is_old_or_when_the_container_changed()
    {
        var clock = new ManualClock(T0);
        var path = new ContainmentPath("bearing", clock);
        Assert.True(path.Stale("turbine"));

        path.Set(["farm", "turbine"]);

        Assert.Equal(["farm", "turbine", "bearing"], path.Current);
        Assert.False(path.Stale("turbine"));
        Assert.True(path.Stale("other-turbine"));
        clock.Advance(ContainmentPath.Ttl);
        Assert.False(path.Stale("turbine"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(path.Stale("turbine"));
    }

    [Fact]
    public void A_path_that_already_holds_the_twin_is_cut_to_the_twin_and_reset_forgets_it()
    {
        var path = new ContainmentPath("a", new ManualClock(T0));

        path.Set(["b", "a", "c"]);
        Assert.Equal(["a"], path.Current);
        Assert.True(path.Stale("c"));

        path.Set(["b"]);
        path.Reset();
        Assert.True(path.Current.IsDefault);
        Assert.True(path.Stale("b"));
    }
}
