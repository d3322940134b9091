using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RelationshipTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private async Task<ITwinGrain> NewTwin(string prefix, string model)
    {
        var twin = Grains.GetTwin(new TwinId(Ids.New(prefix)));
        await twin.Create(model, "{}");
        return twin;
    }

    [Fact]
    public async Task Relationship_is_visible_from_both_ends_and_removal_clears_both()
    {
        var farm = await NewTwin("farm", TestModels.Farm);
        var turbine = await NewTwin("wt", TestModels.Turbine);

        await farm.AddRelationship("r1", RelationshipNames.Contains, turbine.GetPrimaryKeyString(), "{}", null);

        Assert.Equal(turbine.GetPrimaryKeyString(), Assert.Single(await farm.GetRelationships(null)).TargetId);
        Assert.Equal(farm.GetPrimaryKeyString(), Assert.Single(await turbine.GetIncoming(null)).SourceId);
        Assert.Equal(farm.GetPrimaryKeyString(), await turbine.GetParent());

        await farm.RemoveRelationship("r1", null);

        Assert.Empty(await farm.GetRelationships(null));
        Assert.Empty(await turbine.GetIncoming(null));
        Assert.Null(await turbine.GetParent());
    }

    [Fact]
    public async Task Relationship_to_a_missing_target_is_refused_and_leaves_no_trace()
    {
        var farm = await NewTwin("farm", TestModels.Farm);
        var before = (await farm.Get())!.ETag;

        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => farm.AddRelationship("r1", RelationshipNames.Contains, Ids.New("ghost"), "{}", null));

        Assert.Equal(TwinErrorCode.NotFound, error.Code);
        Assert.Empty(await farm.GetRelationships(null));
        Assert.Equal(before, (await farm.Get())!.ETag);
    }

    [Fact]
    public async Task Relationship_to_a_target_of_the_wrong_model_is_refused_and_the_target_keeps_no_incoming_entry()
    {
        var farm = await NewTwin("farm", TestModels.Farm);
        var bearing = await NewTwin("mb", TestModels.Bearing);

        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => farm.AddRelationship("r1", RelationshipNames.Contains, bearing.GetPrimaryKeyString(), "{}", null));

        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Contains(TestModels.Turbine, error.Message, StringComparison.Ordinal);
        Assert.Empty(await bearing.GetIncoming(null));
    }

    [Fact]
    public async Task Relationship_name_not_in_the_model_is_refused()
    {
        var farm = await NewTwin("farm", TestModels.Farm);
        var turbine = await NewTwin("wt", TestModels.Turbine);

        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => farm.AddRelationship("r1", "owns", turbine.GetPrimaryKeyString(), "{}", null));

        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Empty(await turbine.GetIncoming(null));
    }

    [Fact]
    public async Task A_twin_has_one_container_and_containment_cycles_are_refused()
    {
        var a = await NewTwin("wt", TestModels.Turbine);
        var b = await NewTwin("wt", TestModels.Turbine);
        var c = await NewTwin("wt", TestModels.Turbine);
        var d = await NewTwin("wt", TestModels.Turbine);
        await a.AddRelationship("r", RelationshipNames.Contains, b.GetPrimaryKeyString(), "{}", null);
        await b.AddRelationship("r", RelationshipNames.Contains, c.GetPrimaryKeyString(), "{}", null);

        var second = await Assert.ThrowsAsync<TwinOperationException>(
            () => d.AddRelationship("r2", RelationshipNames.Contains, b.GetPrimaryKeyString(), "{}", null));
        var cycle = await Assert.ThrowsAsync<TwinOperationException>(
            () => c.AddRelationship("r3", RelationshipNames.Contains, a.GetPrimaryKeyString(), "{}", null));

        Assert.Equal(TwinErrorCode.Conflict, second.Code);
        Assert.Contains("cycle", cycle.Message, StringComparison.Ordinal);
        Assert.Empty(await c.GetRelationships(null));
        Assert.Empty(await d.GetRelationships(null));
        Assert.Equal(a.GetPrimaryKeyString(), await b.GetParent());
        Assert.Null(await a.GetParent());
    }

    [Fact]
    public async Task Mutual_relationships_added_at_once_both_succeed()
    {
        var a = await NewTwin("wt", TestModels.Turbine);
        var b = await NewTwin("wt", TestModels.Turbine);

        await Task.WhenAll(
            a.AddRelationship("ab", "feeds", b.GetPrimaryKeyString(), "{}", null),
            b.AddRelationship("ba", "feeds", a.GetPrimaryKeyString(), "{}", null));

        Assert.Single(await a.GetIncoming("feeds"));
        Assert.Single(await b.GetIncoming("feeds"));
    }

    [Fact]
    public async Task Delete_is_refused_while_relationships_exist_and_cascade_removes_them_at_both_ends()
    {
        var farm = await NewTwin("farm", TestModels.Farm);
        var turbine = await NewTwin("wt", TestModels.Turbine);
        var bearing = await NewTwin("mb", TestModels.Bearing);
        await farm.AddRelationship("f", RelationshipNames.Contains, turbine.GetPrimaryKeyString(), "{}", null);
        await turbine.AddRelationship("t", RelationshipNames.Contains, bearing.GetPrimaryKeyString(), "{}", null);

        var refused = await Assert.ThrowsAsync<TwinOperationException>(() => turbine.Delete(null, cascade: false));
        Assert.Equal(TwinErrorCode.Conflict, refused.Code);
        Assert.NotNull(await turbine.Get());

        Assert.Equal(2, await turbine.Delete(null, cascade: true));

        Assert.Null(await turbine.Get());
        Assert.Empty(await farm.GetRelationships(null));
        Assert.Empty(await bearing.GetIncoming(null));
        Assert.NotNull(await bearing.Get());
    }

    [Fact]
    public async Task Relationship_properties_are_checked_against_the_relationship_definition()
    {
        var a = await NewTwin("wt", TestModels.Turbine);
        var b = await NewTwin("wt", TestModels.Turbine);

        var added = await a.AddRelationship("ok", "feeds", b.GetPrimaryKeyString(), """{"cableKm":1.5}""", null);
        var wrongType = await Assert.ThrowsAsync<TwinOperationException>(
            () => a.AddRelationship("bad", "feeds", b.GetPrimaryKeyString(), """{"cableKm":"far"}""", null));
        var undeclared = await Assert.ThrowsAsync<TwinOperationException>(
            () => a.AddRelationship("bad2", "feeds", b.GetPrimaryKeyString(), """{"voltage":33}""", null));

        Assert.Equal("""{"cableKm":1.5}""", added.PropertiesJson);
        Assert.Contains("cableKm", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("voltage", undeclared.Message, StringComparison.Ordinal);
        Assert.Single(await b.GetIncoming("feeds"));
    }

    [Fact]
    public async Task Twins_holding_relationships_to_each_other_can_be_cascade_deleted_at_the_same_time()
    {
        var a = await NewTwin("wt", TestModels.Turbine);
        var b = await NewTwin("wt", TestModels.Turbine);
        var c = await NewTwin("wt", TestModels.Turbine);
        await a.AddRelationship("ab", "feeds", b.GetPrimaryKeyString(), "{}", null);
        await b.AddRelationship("ba", "feeds", a.GetPrimaryKeyString(), "{}", null);
        await b.AddRelationship("bc", "feeds", c.GetPrimaryKeyString(), "{}", null);

        var removed = await Task.WhenAll(a.Delete(null, cascade: true), b.Delete(null, cascade: true))
            .WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Null(await a.Get());
        Assert.Null(await b.Get());
        Assert.Empty(await c.GetIncoming(null));
        Assert.True(removed.Sum() >= 3, $"relationships removed: {string.Join(", ", removed)}");
    }

    [Fact]
    public async Task Two_twins_containing_each_other_at_the_same_moment_never_leave_a_cycle()
    {
        for (var round = 0; round < 5; round++)
        {
            var a = await NewTwin("wt", TestModels.Turbine);
            var b = await NewTwin("wt", TestModels.Turbine);

            var attempts = new[]
            {
                a.AddRelationship("ab", RelationshipNames.Contains, b.GetPrimaryKeyString(), "{}", null),
                b.AddRelationship("ba", RelationshipNames.Contains, a.GetPrimaryKeyString(), "{}", null),
            };
            try
            {
                await Task.WhenAll(attempts);
            }
            catch (TwinOperationException)
            {
            }

            var aParent = await a.GetParent();
            var bParent = await b.GetParent();
            Assert.False(aParent == b.GetPrimaryKeyString() && bParent == a.GetPrimaryKeyString(), "a and b contain each other");
            Assert.True(attempts.Count(t => t.IsCompletedSuccessfully) <= 1);
            Assert.Equal((await a.GetRelationships(RelationshipNames.Contains)).Length, bParent == a.GetPrimaryKeyString() ? 1 : 0);
            Assert.Equal((await b.GetRelationships(RelationshipNames.Contains)).Length, aParent == b.GetPrimaryKeyString() ? 1 : 0);
        }
    }

    [Fact]
    public async Task A_stale_container_entry_whose_source_holds_nothing_does_not_block_a_new_container()
    {
        var oldParent = await NewTwin("wt", TestModels.Turbine);
        var newParent = await NewTwin("wt", TestModels.Turbine);
        var child = await NewTwin("mb", TestModels.Bearing);
        // What a failed cleanup call leaves behind: the child's side only.
        await child.AddIncoming(new IncomingRelationship("gone", RelationshipNames.Contains, oldParent.GetPrimaryKeyString()));
        Assert.Equal(oldParent.GetPrimaryKeyString(), await child.GetParent());

        await newParent.AddRelationship("c", RelationshipNames.Contains, child.GetPrimaryKeyString(), "{}", null);

        Assert.Equal(newParent.GetPrimaryKeyString(), await child.GetParent());
        Assert.Equal(newParent.GetPrimaryKeyString(), Assert.Single(await child.GetIncoming(null)).SourceId);
    }
}
