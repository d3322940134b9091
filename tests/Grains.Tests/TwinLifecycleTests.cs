using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class TwinLifecycleTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task Created_twin_reads_back_with_its_model_properties_and_etag()
    {
        var id = Ids.New("wt");
        var created = await Grains.GetTwin(new TwinId(id)).Create(TestModels.Turbine, """{"name":"WT 1","ratedPowerKW":3600}""");
        var read = await Grains.GetTwin(new TwinId(id)).Get();

        Assert.NotNull(read);
        Assert.Equal(TestModels.Turbine, read.ModelId);
        Assert.Equal("""{"name":"WT 1","ratedPowerKW":3600}""", read.PropertiesJson);
        Assert.Equal(created.ETag, read.ETag);
        Assert.False(string.IsNullOrEmpty(read.ETag));
    }

    [Fact]
    public async Task Creating_an_existing_twin_is_refused()
    {
        var twin = Grains.GetTwin(new TwinId(Ids.New("wt")));
        await twin.Create(TestModels.Turbine, "{}");

        var error = await Assert.ThrowsAsync<TwinOperationException>(() => twin.Create(TestModels.Turbine, "{}"));
        Assert.Equal(TwinErrorCode.AlreadyExists, error.Code);
    }

    [Fact]
    public async Task Stale_etag_is_rejected_and_changes_nothing()
    {
        var twin = Grains.GetTwin(new TwinId(Ids.New("wt")));
        var first = await twin.Create(TestModels.Turbine, """{"name":"a"}""");
        var second = await twin.Patch("""[{"op":"replace","path":"/name","value":"b"}]""", first.ETag);

        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => twin.Patch("""[{"op":"replace","path":"/name","value":"c"}]""", first.ETag));

        Assert.Equal(TwinErrorCode.PreconditionFailed, error.Code);
        var now = await twin.Get();
        Assert.Equal("""{"name":"b"}""", now!.PropertiesJson);
        Assert.Equal(second.ETag, now.ETag);
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Fact]
    public async Task Patch_applies_add_replace_remove_and_a_failing_operation_leaves_the_twin_unchanged()
    {
        var twin = Grains.GetTwin(new TwinId(Ids.New("wt")));
        await twin.Create(TestModels.Turbine, """{"name":"a","ratedPowerKW":1}""");

        var patched = await twin.Patch("""[{"op":"add","path":"/state","value":"running"},{"op":"replace","path":"/ratedPowerKW","value":2},{"op":"remove","path":"/name"}]""", null);
        Assert.Equal("""{"ratedPowerKW":2,"state":"running"}""", patched.PropertiesJson);

        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => twin.Patch("""[{"op":"replace","path":"/ratedPowerKW","value":3},{"op":"remove","path":"/missing"}]""", null));
        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Contains("/missing", error.Message, StringComparison.Ordinal);
        Assert.Equal(patched.PropertiesJson, (await twin.Get())!.PropertiesJson);
    }

    [Fact]
    public async Task Property_of_the_wrong_type_is_refused_naming_the_property()
    {
        var twin = Grains.GetTwin(new TwinId(Ids.New("wt")));

        var error = await Assert.ThrowsAsync<TwinOperationException>(() => twin.Create(TestModels.Turbine, """{"ratedPowerKW":"lots"}"""));

        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Contains("ratedPowerKW", error.Message, StringComparison.Ordinal);
        Assert.Null(await twin.Get());
    }

    [Fact]
    public async Task Undeclared_property_and_bad_enum_value_are_refused()
    {
        var twin = Grains.GetTwin(new TwinId(Ids.New("wt")));
        await twin.Create(TestModels.Turbine, "{}");

        var unknown = await Assert.ThrowsAsync<TwinOperationException>(() => twin.Replace("""{"colour":"red"}""", null));
        var badEnum = await Assert.ThrowsAsync<TwinOperationException>(() => twin.Replace("""{"state":"exploded"}""", null));

        Assert.Contains("colour", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("state", badEnum.Message, StringComparison.Ordinal);
        Assert.Equal("{}", (await twin.Get())!.PropertiesJson);
    }

    [Fact]
    public async Task Unknown_model_is_refused()
    {
        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => Grains.GetTwin(new TwinId(Ids.New("wt"))).Create("dtmi:test:Nothing;1", "{}"));

        Assert.Equal(TwinErrorCode.NotFound, error.Code);
        Assert.Contains("dtmi:test:Nothing;1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_properties_json_is_refused_with_a_reason()
    {
        var error = await Assert.ThrowsAsync<TwinOperationException>(
            () => Grains.GetTwin(new TwinId(Ids.New("wt"))).Create(TestModels.Turbine, "{\"name\":"));

        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_twin_ids_are_refused_with_the_reason()
    {
        Assert.Contains("contains '/'", Assert.Throws<ArgumentException>(() => new TwinId("a/b")).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new TwinId("")).Message, StringComparison.Ordinal);
        Assert.Contains("at most 128", Assert.Throws<ArgumentException>(() => new TwinId(new string('a', 129))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_twin_is_gone_and_its_id_can_be_reused()
    {
        var id = new TwinId(Ids.New("wt"));
        await Grains.GetTwin(id).Create(TestModels.Turbine, "{}");

        Assert.Equal(0, await Grains.GetTwin(id).Delete(null, cascade: false));

        Assert.Null(await Grains.GetTwin(id).Get());
        var page = await Grains.GetQueries().Query(new TwinQuery(TestModels.Turbine, false, [new PropertyFilter("name", FilterOperator.Eq, "\"nope\"")], null, 10, null));
        Assert.DoesNotContain(page.Items, e => e.TwinId == id.Value);
        await Grains.GetTwin(id).Create(TestModels.Turbine, """{"name":"again"}""");
    }
}
