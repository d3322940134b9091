using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ModelRepositoryTests(ClusterFixture fixture)
{
    private IModelRepositoryGrain Repository => fixture.Client.GetModelRepository();

    private static string Interface(string id, string extends = "", string property = "p") =>
        $$$"""{"@context":"dtmi:dtdl:context;3","@id":"{{{id}}}","@type":"Interface"{{{(extends.Length > 0 ? $",\"extends\":\"{extends}\"" : "")}}},"contents":[{"@type":"Property","name":"{{{property}}}","schema":"double"}]}""";

    private static string NewDtmi(string name) => $"dtmi:test:{name}{Guid.NewGuid():N};1";

    [Fact]
    public async Task Uploading_a_model_again_is_refused_because_models_are_immutable()
    {
        var id = NewDtmi("once");
        Assert.True((await Repository.Upload([Interface(id)])).Succeeded);

        var again = await Repository.Upload([Interface(id)]);

        Assert.False(again.Succeeded);
        Assert.Contains(again.Errors, e => e.Message.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_can_extend_one_uploaded_earlier_and_lists_it_as_a_dependency()
    {
        var baseId = NewDtmi("base");
        var derived = NewDtmi("derived");
        Assert.True((await Repository.Upload([Interface(baseId)])).Succeeded);

        var result = await Repository.Upload([Interface(derived, baseId, "q")]);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal([baseId], (await Repository.Get(derived))!.Info.Dependencies);
        Assert.Equal(new[] { baseId, derived }.Order(StringComparer.Ordinal), await Repository.GetSubtypes(baseId));
    }

    [Fact]
    public async Task An_upload_with_one_invalid_model_stores_none_of_them()
    {
        var good = NewDtmi("good");
        var missingBase = NewDtmi("missing");

        var result = await Repository.Upload([Interface(good), Interface(NewDtmi("orphan"), missingBase, "q")]);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Message.Contains(missingBase, StringComparison.Ordinal));
        Assert.Null(await Repository.Get(good));
    }

    [Fact]
    public async Task A_decommissioned_model_takes_no_new_twins_and_a_used_model_cannot_be_deleted()
    {
        var id = NewDtmi("retired");
        Assert.True((await Repository.Upload([Interface(id)])).Succeeded);
        var twin = fixture.Client.GetTwin(new TwinId(Ids.New("tw")));
        await twin.Create(id, """{"p":1}""");

        var inUse = await Assert.ThrowsAsync<TwinOperationException>(() => Repository.Delete(id));
        await Repository.Decommission(id);
        var refused = await Assert.ThrowsAsync<TwinOperationException>(
            () => fixture.Client.GetTwin(new TwinId(Ids.New("tw"))).Create(id, "{}"));

        Assert.Equal(TwinErrorCode.Conflict, inUse.Code);
        Assert.Contains("decommissioned", refused.Message, StringComparison.Ordinal);
        Assert.True((await Repository.Get(id))!.Info.Decommissioned);
    }

    [Fact]
    public async Task A_deleted_model_takes_no_new_twins_even_where_it_is_still_cached()
    {
        var id = NewDtmi("gone");
        Assert.True((await Repository.Upload([Interface(id)])).Succeeded);
        var first = fixture.Client.GetTwin(new TwinId(Ids.New("tw")));
        await first.Create(id, "{}");
        await first.Delete(null, cascade: false);

        await Repository.Delete(id);
        // Twins are placed on either silo; each must refuse, whether or not it still has the model cached.
        for (var i = 0; i < 6; i++)
        {
            var twin = fixture.Client.GetTwin(new TwinId(Ids.New("tw")));
            var refused = await Assert.ThrowsAsync<TwinOperationException>(() => twin.Create(id, "{}"));
            Assert.Contains(id, refused.Message, StringComparison.Ordinal);
            Assert.Null(await twin.Get());
        }
    }

    [Fact]
    public async Task Models_with_annotation_overriding_and_historization_upload_and_twins_follow_their_unit_types()
    {
        var space = NewDtmi("space");
        var room = NewDtmi("room");
        const string contexts = """["dtmi:dtdl:context;3","dtmi:dtdl:extension:quantitativeTypes;1","dtmi:dtdl:extension:historization;1","dtmi:dtdl:extension:annotation;1","dtmi:dtdl:extension:overriding;1"]""";
        var spaceJson = $$"""{"@context":{{contexts}},"@id":"{{space}}","@type":"Interface","contents":[{"@type":["Property","Length","Historized"],"name":"height","schema":"double","unit":"metre","writable":true},{"@type":["Property","ValueAnnotation","Override"],"name":"heightUnit","annotates":"height","overrides":"unit","schema":"LengthUnit","writable":true}]}""";
        var roomJson = $$"""{"@context":{{contexts}},"@id":"{{room}}","@type":"Interface","extends":"{{space}}","contents":[{"@type":["Telemetry","Temperature","Historized"],"name":"air","schema":"double","unit":"degreeCelsius"}]}""";

        var result = await Repository.Upload([spaceJson, roomJson]);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(["air", "height"], (await Repository.Get(room))!.Info.Historized);
        await fixture.Client.GetTwin(new TwinId(Ids.New("tw"))).Create(room, """{"height":10,"heightUnit":"foot"}""");
        var refused = await Assert.ThrowsAsync<TwinOperationException>(
            () => fixture.Client.GetTwin(new TwinId(Ids.New("tw"))).Create(room, """{"heightUnit":"kelvin"}"""));
        Assert.Contains("heightUnit", refused.Message + string.Join(" ", refused.Details), StringComparison.Ordinal);
    }
}
