using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class QueryTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    /// <summary>farm → 3 turbines (ratedPowerKW 1000, 2000, 3000) → 2 bearings each (one a MainBearing).</summary>
    private async Task<(string Farm, string[] Turbines, string[] Bearings)> BuildFarm()
    {
        var farm = Ids.New("farm");
        await Grains.GetTwin(new TwinId(farm)).Create(TestModels.Farm, """{"name":"test farm"}""");
        var turbines = new List<string>();
        var bearings = new List<string>();
        for (var t = 1; t <= 3; t++)
        {
            var turbine = $"{farm}-wt{t}";
            turbines.Add(turbine);
            await Grains.GetTwin(new TwinId(turbine)).Create(TestModels.Turbine, $$"""{"name":"WT {{t}}","ratedPowerKW":{{t * 1000}}}""");
            await Grains.GetTwin(new TwinId(farm)).AddRelationship($"c{t}", RelationshipNames.Contains, turbine, "{}", null);
            for (var b = 1; b <= 2; b++)
            {
                var bearing = $"{turbine}-b{b}";
                bearings.Add(bearing);
                await Grains.GetTwin(new TwinId(bearing)).Create(b == 1 ? TestModels.MainBearing : TestModels.Bearing, $$"""{"balls":{{8 + b}}}""");
                await Grains.GetTwin(new TwinId(turbine)).AddRelationship($"c{b}", RelationshipNames.Contains, bearing, "{}", null);
            }
        }

        return (farm, [.. turbines], [.. bearings]);
    }

    [Fact]
    public async Task Subtree_returns_the_root_then_every_level_below_it()
    {
        var (farm, turbines, bearings) = await BuildFarm();

        var subtree = await Grains.GetQueries().Subtree(farm);

        Assert.Equal(farm, subtree[0].TwinId);
        Assert.Equal(turbines, subtree.Skip(1).Take(3).Select(e => e.TwinId));
        Assert.Equal(bearings.Order(StringComparer.Ordinal), subtree.Skip(4).Select(e => e.TwinId));
        Assert.All(subtree.Skip(4), e => Assert.Contains(e.ParentId, turbines));

        var oneTurbine = await Grains.GetQueries().Subtree(turbines[1]);
        Assert.Equal([turbines[1], bearings[2], bearings[3]], oneTurbine.Select(e => e.TwinId));
    }

    [Fact]
    public async Task Subtree_of_a_missing_twin_is_not_found()
    {
        var error = await Assert.ThrowsAsync<TwinOperationException>(() => Grains.GetQueries().Subtree(Ids.New("ghost")));
        Assert.Equal(TwinErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task Model_property_range_and_ancestor_combine()
    {
        var (farm, turbines, _) = await BuildFarm();

        var page = await Grains.GetQueries().Query(new TwinQuery(
            TestModels.Turbine, false, [new PropertyFilter("ratedPowerKW", FilterOperator.Ge, "2000")], farm, 50, null));

        Assert.Equal(turbines[1..], page.Items.Select(e => e.TwinId));
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task Query_by_model_with_subtypes_includes_models_that_extend_it()
    {
        var (farm, _, bearings) = await BuildFarm();

        var exact = await Grains.GetQueries().Query(new TwinQuery(TestModels.Bearing, false, [], farm, 50, null));
        var withSubtypes = await Grains.GetQueries().Query(new TwinQuery(TestModels.Bearing, true, [], farm, 50, null));

        Assert.Equal(3, exact.Items.Length);
        Assert.Equal(bearings.Order(StringComparer.Ordinal), withSubtypes.Items.Select(e => e.TwinId));
    }

    [Fact]
    public async Task Pages_cover_every_match_once_in_id_order()
    {
        var (farm, turbines, bearings) = await BuildFarm();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Grains.GetQueries().Query(new TwinQuery(null, false, [], farm, 2, token));
            seen.AddRange(page.Items.Select(e => e.TwinId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(turbines.Concat(bearings).Order(StringComparer.Ordinal), seen);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task A_query_sees_every_write_as_soon_as_it_is_acknowledged()
    {
        var id = Ids.New("wt");
        var twin = Grains.GetTwin(new TwinId(id));
        await twin.Create(TestModels.Turbine, """{"ratedPowerKW":0}""");
        for (var i = 1; i <= 20; i++)
        {
            await twin.Patch($$"""[{"op":"replace","path":"/ratedPowerKW","value":{{i}}}]""", null);
            var page = await Grains.GetQueries().Query(new TwinQuery(
                TestModels.Turbine, false, [new PropertyFilter("ratedPowerKW", FilterOperator.Eq, i.ToString(System.Globalization.CultureInfo.InvariantCulture))], null, 100, null));
            Assert.Contains(page.Items, e => e.TwinId == id);
        }
    }

    [Fact]
    public async Task A_forged_continuation_token_is_refused()
    {
        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => Grains.GetQueries().Query(new TwinQuery(null, false, [], null, 10, "not-a-token")));
        Assert.Equal(TwinErrorCode.Invalid, error.Code);
    }

    [Fact]
    public async Task Page_size_out_of_range_is_refused()
    {
        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => Grains.GetQueries().Query(new TwinQuery(null, false, [], null, TwinQuery.MaxPageSize + 1, null)));
        Assert.Contains("page size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ancestors_of_a_component_are_its_turbine_then_its_farm()
    {
        var (farm, turbines, bearings) = await BuildFarm();

        var ancestors = await new TwinCluster.Client.TwinClient(Grains).AncestorsAsync(bearings[3]);

        Assert.Equal([turbines[1], farm], ancestors);
        Assert.Empty(await new TwinCluster.Client.TwinClient(Grains).AncestorsAsync(farm));
    }
}
