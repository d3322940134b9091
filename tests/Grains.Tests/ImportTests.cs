using TwinCluster.Client;
using TwinCluster.Simulation.Import;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ImportTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task Good_lines_go_in_and_every_bad_line_is_reported_by_number_and_reason()
    {
        var p = Ids.New("imp");
        var existing = Ids.New("wt");
        await Grains.GetTwin(new TwinId(existing)).Create(TestModels.Turbine, "{}");
        string[] lines =
        [
            $$$"""{"kind":"twin","id":"{{{p}}}-farm","model":"{{{TestModels.Farm}}}","properties":{"name":"F"}}""",
            $$$"""{"kind":"twin","id":"{{{p}}}-wt1","model":"{{{TestModels.Turbine}}}","properties":{"ratedPowerKW":2000}}""",
            $$$"""{"kind":"twin","id":"{{{p}}}-wt2","model":"{{{TestModels.Turbine}}}","properties":{"ratedPowerKW":"high"}}""",
            $$$"""{"kind":"twin","id":"{{{p}}}-b1","model":"{{{TestModels.MainBearing}}}","properties":{"balls":9}}""",
            """{"kind":"twin","id":"broken",""",
            $$$"""{"kind":"twin","id":"{{{p}}}-wt1","model":"{{{TestModels.Turbine}}}"}""",
            $$$"""{"kind":"relationship","source":"{{{p}}}-farm","name":"contains","target":"{{{p}}}-wt1"}""",
            $$$"""{"kind":"relationship","source":"{{{p}}}-farm","name":"contains","target":"{{{p}}}-wt2"}""",
            $$$"""{"kind":"relationship","source":"{{{p}}}-wt1","name":"contains","target":"{{{p}}}-b1"}""",
            $$$"""{"kind":"relationship","source":"{{{p}}}-farm","name":"contains","target":"{{{p}}}-b1","id":"second"}""",
            $$$"""{"kind":"relationship","source":"{{{p}}}-wt1","name":"owns","target":"{{{p}}}-farm"}""",
            $$$"""{"kind":"relationship","source":"{{{p}}}-wt1","name":"feeds","target":"{{{existing}}}"}""",
            $$$"""{"kind":"relationship","source":"{{{p}}}-wt1","name":"feeds","target":"{{{p}}}-missing","id":"lost"}""",
            """{"kind":"gadget"}""",
        ];

        var summary = await new NdjsonImporter(Grains).ImportAsync(new StringReader(string.Join("\n", lines)), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, summary.TwinsCreated);
        Assert.Equal(3, summary.RelationshipsCreated);
        var errors = summary.Errors.ToDictionary(e => e.Line, e => e.Message);
        Assert.Equal([3L, 5, 6, 8, 10, 11, 13, 14], errors.Keys.Order());
        Assert.Contains("ratedPowerKW", errors[3], StringComparison.Ordinal);
        Assert.Contains("not valid JSON", errors[5], StringComparison.Ordinal);
        Assert.Contains("already defined on line 2", errors[6], StringComparison.Ordinal);
        Assert.Contains("was not imported", errors[8], StringComparison.Ordinal);
        Assert.Contains("one container", errors[10], StringComparison.Ordinal);
        Assert.Contains("owns", errors[11], StringComparison.Ordinal);
        Assert.Contains("does not exist", errors[13], StringComparison.Ordinal);
        Assert.Contains("kind", errors[14], StringComparison.Ordinal);

        var client = new TwinClient(Grains);
        var subtree = await client.SubtreeAsync($"{p}-farm");
        Assert.Equal([$"{p}-farm", $"{p}-wt1", $"{p}-b1"], subtree.Select(e => e.TwinId));
        Assert.Null(await Grains.GetTwin(new TwinId($"{p}-wt2")).Get());
        // The farm holds no relationship to the turbine that was refused (line 8 is reported, not left half-made).
        Assert.DoesNotContain(await Grains.GetTwin(new TwinId($"{p}-farm")).GetRelationships(null), r => r.TargetId == $"{p}-wt2");
        // The refused 'owns' left no incoming entry on the farm; the accepted 'feeds' reached the existing twin.
        Assert.Empty(await Grains.GetTwin(new TwinId($"{p}-farm")).GetIncoming(null));
        Assert.Single(await Grains.GetTwin(new TwinId(existing)).GetIncoming("feeds"));
    }

    [Fact]
    public async Task Models_in_the_file_are_uploaded_before_the_twins_that_use_them()
    {
        var p = Ids.New("imp");
        var model = $"dtmi:test:imported{Guid.NewGuid():N};1";
        string[] lines =
        [
            $$$"""{"kind":"model","document":{"@context":"dtmi:dtdl:context;3","@id":"{{{model}}}","@type":"Interface","contents":[{"@type":"Property","name":"size","schema":"integer"}]}}""",
            $$$"""{"kind":"twin","id":"{{{p}}}-x","model":"{{{model}}}","properties":{"size":3}}""",
        ];

        var summary = await new NdjsonImporter(Grains).ImportAsync(new StringReader(string.Join("\n", lines)), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(summary.Succeeded, string.Join("; ", summary.Errors));
        Assert.Equal(1, summary.ModelsUploaded);
        Assert.Equal(model, (await Grains.GetTwin(new TwinId($"{p}-x")).Get())!.ModelId);
    }

    [Fact]
    public async Task An_invalid_model_line_is_reported_and_no_model_of_the_file_is_stored()
    {
        var good = $"dtmi:test:good{Guid.NewGuid():N};1";
        string[] lines =
        [
            $$$"""{"kind":"model","document":{"@context":"dtmi:dtdl:context;3","@id":"{{{good}}}","@type":"Interface"}}""",
            """{"kind":"model","document":{"@context":"dtmi:dtdl:context;3","@id":"not a dtmi","@type":"Interface"}}""",
        ];

        var summary = await new NdjsonImporter(Grains).ImportAsync(new StringReader(string.Join("\n", lines)), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, summary.ModelsUploaded);
        Assert.Contains(summary.Errors, e => e.Line == 2 && e.Message.StartsWith("model:", StringComparison.Ordinal));
        Assert.Null(await Grains.GetModelRepository().Get(good));
    }

    private async Task<ImportSummary> Import(params string[] lines) =>
        await new NdjsonImporter(Grains).ImportAsync(new StringReader(string.Join("\n", lines)), cancellationToken: TestContext.Current.CancellationToken);

    private static string TwinLine(string id, string properties = "{}") =>
        $$$"""{"kind":"twin","id":"{{{id}}}","model":"{{{TestModels.Turbine}}}","properties":{{{properties}}}}""";

    [Fact]
    public async Task A_twin_read_as_absent_before_its_import_is_seen_right_after_it()
    {
        var id = Ids.New("wt");
        Assert.Null(await Grains.GetTwin(new TwinId(id)).Get());

        var summary = await Import(TwinLine(id, """{"ratedPowerKW":5}"""));

        Assert.True(summary.Succeeded, string.Join("; ", summary.Errors));
        Assert.Equal("""{"ratedPowerKW":5}""", (await Grains.GetTwin(new TwinId(id)).Get())!.PropertiesJson);
        var patched = await Grains.GetTwin(new TwinId(id)).Patch("""[{"op":"replace","path":"/ratedPowerKW","value":6}]""", null);
        Assert.Equal("""{"ratedPowerKW":6}""", patched.PropertiesJson);
    }

    [Fact]
    public async Task Importing_an_existing_twin_is_refused_and_leaves_it_unchanged()
    {
        var id = Ids.New("wt");
        var existing = await Grains.GetTwin(new TwinId(id)).Create(TestModels.Turbine, """{"ratedPowerKW":1}""");

        var summary = await Import(TwinLine(id, """{"ratedPowerKW":2}"""));

        Assert.Contains("already exists", Assert.Single(summary.Errors).Message, StringComparison.Ordinal);
        var now = await Grains.GetTwin(new TwinId(id)).Get();
        Assert.Equal(existing.ETag, now!.ETag);
        Assert.Equal("""{"ratedPowerKW":1}""", now.PropertiesJson);
    }

    [Fact]
    public async Task A_deleted_twin_id_can_be_imported_again()
    {
        var id = Ids.New("wt");
        await Grains.GetTwin(new TwinId(id)).Create(TestModels.Turbine, "{}");
        await Grains.GetTwin(new TwinId(id)).Delete(null, cascade: false);

        var summary = await Import(TwinLine(id, """{"ratedPowerKW":7}"""));

        Assert.True(summary.Succeeded, string.Join("; ", summary.Errors));
        Assert.Equal("""{"ratedPowerKW":7}""", (await Grains.GetTwin(new TwinId(id)).Get())!.PropertiesJson);
    }

    [Fact]
    public async Task Twins_of_a_decommissioned_model_are_refused_by_import()
    {
        var model = $"dtmi:test:retiring{Guid.NewGuid():N};1";
        Assert.True((await Grains.GetModelRepository().Upload([$$$"""{"@context":"dtmi:dtdl:context;3","@id":"{{{model}}}","@type":"Interface"}"""])).Succeeded);
        await Grains.GetModelRepository().Decommission(model);

        var summary = await Import($$$"""{"kind":"twin","id":"{{{Ids.New("x")}}}","model":"{{{model}}}"}""");

        Assert.Contains("decommissioned", Assert.Single(summary.Errors).Message, StringComparison.Ordinal);
    }
}
