using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

/// <summary>The ADT query language against real twins in the shared two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AdtQueryClusterTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private IDigitalTwinsQueryGrain Queries => Grains.GetGrain<IDigitalTwinsQueryGrain>(0);

    /// <summary>farm → 3 turbines (ratedPowerKW 1000, 2000, 3000; wt1 feeds wt2) → 2 bearings each (b1 a MainBearing).</summary>
    private async Task<(string Farm, string[] Turbines, string[] Bearings)> BuildFarm()
    {
        var farm = Ids.New("afarm");
        await Grains.GetTwin(new TwinId(farm)).Create(TestModels.Farm, $$"""{"name":"{{farm}}"}""");
        var turbines = new List<string>();
        var bearings = new List<string>();
        for (var t = 1; t <= 3; t++)
        {
            var turbine = $"{farm}-wt{t}";
            turbines.Add(turbine);
            var state = t == 2 ? "stopped" : "running";
            await Grains.GetTwin(new TwinId(turbine)).Create(TestModels.Turbine, $$"""{"name":"{{farm}} WT {{t}}","ratedPowerKW":{{t * 1000}},"state":"{{state}}"}""");
            await Grains.GetTwin(new TwinId(farm)).AddRelationship($"c{t}", RelationshipNames.Contains, turbine, "{}", null);
            for (var b = 1; b <= 2; b++)
            {
                var bearing = $"{turbine}-b{b}";
                bearings.Add(bearing);
                await Grains.GetTwin(new TwinId(bearing)).Create(b == 1 ? TestModels.MainBearing : TestModels.Bearing, $$"""{"balls":{{8 + b}}}""");
                await Grains.GetTwin(new TwinId(turbine)).AddRelationship($"c{b}", RelationshipNames.Contains, bearing, "{}", null);
            }
        }

        await Grains.GetTwin(new TwinId(turbines[0])).AddRelationship("f1", "feeds", turbines[1], """{"cableKm":2.5}""", null);
        return (farm, turbines.ToArray(), bearings.ToArray());
    }

    private async Task<List<JsonElement>> All(string query, int pageSize = 0)
    {
        var rows = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await Queries.Run(query, token, pageSize);
            rows.AddRange(page.Items.Select(i => JsonDocument.Parse(i).RootElement.Clone()));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return rows;
    }

    private static List<string?> DtIds(IEnumerable<JsonElement> rows, string? column = null) =>
        [.. rows.Select(r => (column is null ? r : r.GetProperty(column)).GetProperty("$dtId").GetString())];

    [Fact]
    public async Task Select_star_returns_twins_in_adt_form_filtered_by_model_and_property()
    {
        var (farm, turbines, _) = await BuildFarm();

        var rows = await All($"SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{TestModels.Turbine}') AND T.ratedPowerKW > 1500 AND STARTSWITH(T.$dtId, '{farm}')");

        Assert.Equal(turbines[1..], DtIds(rows));
        var twin = rows[0];
        var snapshot = await Grains.GetTwin(new TwinId(turbines[1])).Get();
        Assert.Equal($"W/\"{snapshot!.ETag}\"", twin.GetProperty("$etag").GetString());
        Assert.Equal(TestModels.Turbine, twin.GetProperty("$metadata").GetProperty("$model").GetString());
        Assert.Equal(2000, twin.GetProperty("ratedPowerKW").GetDouble());
        Assert.Equal("stopped", twin.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("T.ratedPowerKW != 2000", new[] { 1, 3 })]
    [InlineData("T.ratedPowerKW < 2000 OR T.ratedPowerKW >= 3000", new[] { 1, 3 })]
    [InlineData("T.ratedPowerKW <= 2000 AND T.ratedPowerKW > 1000", new[] { 2 })]
    [InlineData("NOT T.state = 'running'", new[] { 2 })]
    [InlineData("T.state NIN ['running']", new[] { 2 })]
    [InlineData("T.state IN ['stopped', 'other']", new[] { 2 })]
    [InlineData("ENDSWITH(T.name, 'WT 3')", new[] { 3 })]
    [InlineData("CONTAINS(T.name, 'WT 2')", new[] { 2 })]
    [InlineData("IS_DEFINED(T.state) AND IS_STRING(T.state) AND IS_NUMBER(T.ratedPowerKW) AND IS_PRIMITIVE(T.name)", new[] { 1, 2, 3 })]
    [InlineData("IS_BOOL(T.state) OR IS_NULL(T.state) OR IS_OBJECT(T.name) OR IS_DEFINED(T.missing)", new int[0])]
    public async Task Where_constructs_against_real_turbines(string condition, int[] expected)
    {
        var (farm, _, _) = await BuildFarm();

        var rows = await All($"SELECT T.$dtId FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{TestModels.Turbine}') AND STARTSWITH(T.$dtId, '{farm}') AND ({condition})");

        Assert.Equal(expected.Select(t => $"{farm}-wt{t}"), DtIds(rows));
    }

    [Fact]
    public async Task Nested_property_paths_reach_into_objects()
    {
        const string model = "dtmi:test:adt:Geometry;1";
        var upload = await Grains.GetModelRepository().Upload(["""
            {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:adt:Geometry;1","@type":"Interface","contents":[
              {"@type":"Property","name":"geometry","writable":true,"schema":{"@type":"Object","fields":[
                {"name":"balls","schema":"integer"},{"name":"kind","schema":"string"}]}}]}
            """]);
        Assert.True(upload.Succeeded);
        var nine = Ids.New("geo");
        var eight = Ids.New("geo");
        await Grains.GetTwin(new TwinId(nine)).Create(model, """{"geometry":{"balls":9,"kind":"deep groove"}}""");
        await Grains.GetTwin(new TwinId(eight)).Create(model, """{"geometry":{"balls":8,"kind":"angular"}}""");

        var rows = await All($"SELECT T.geometry.kind, T.geometry FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{model}') AND T.geometry.balls = 9 AND IS_OBJECT(T.geometry)");

        var row = Assert.Single(rows);
        Assert.Equal("deep groove", row.GetProperty("kind").GetString());
        Assert.Equal(9, row.GetProperty("geometry").GetProperty("balls").GetInt32());
    }

    [Fact]
    public async Task Is_of_model_includes_subtypes_unless_exact()
    {
        var (farm, _, bearings) = await BuildFarm();

        var all = await All($"SELECT T.$dtId FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{TestModels.Bearing}') AND STARTSWITH(T.$dtId, '{farm}')");
        var exact = await All($"SELECT T.$dtId FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{TestModels.Bearing}', exact) AND STARTSWITH(T.$dtId, '{farm}')");
        var byMetadata = await All($"SELECT * FROM DIGITALTWINS WHERE $metadata.$model = '{TestModels.MainBearing}' AND STARTSWITH($dtId, '{farm}')");

        Assert.Equal(bearings.Order(StringComparer.Ordinal), DtIds(all));
        Assert.Equal(bearings.Where(b => b.EndsWith("-b2", StringComparison.Ordinal)), DtIds(exact));
        Assert.Equal(bearings.Where(b => b.EndsWith("-b1", StringComparison.Ordinal)), DtIds(byMetadata));
    }

    [Fact]
    public async Task Projections_take_aliases_and_leave_missing_properties_out()
    {
        var (_, turbines, bearings) = await BuildFarm();

        var rows = await All($"SELECT T.name AS n, T.ratedPowerKW, T.$metadata.$model FROM DIGITALTWINS T WHERE T.$dtId IN ['{turbines[0]}', '{bearings[0]}']");

        Assert.Equal(2, rows.Count);
        Assert.Equal(["n", "ratedPowerKW", "$model"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(1000, rows[0].GetProperty("ratedPowerKW").GetDouble());
        Assert.Equal(["$model"], rows[1].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Count_and_top()
    {
        var (farm, _, bearings) = await BuildFarm();
        var condition = $"IS_OF_MODEL(T, '{TestModels.Bearing}') AND STARTSWITH(T.$dtId, '{farm}')";

        var count = await Queries.Run($"SELECT COUNT() FROM DIGITALTWINS T WHERE {condition}", null, 0);
        var top = await All($"SELECT TOP(4) FROM DIGITALTWINS T WHERE {condition}", pageSize: 3);

        Assert.Equal("""{"COUNT":6}""", Assert.Single(count.Items));
        Assert.Equal(bearings.Order(StringComparer.Ordinal).Take(4), DtIds(top));
    }

    [Fact]
    public async Task Join_walks_contains_from_the_picked_twin()
    {
        var (farm, turbines, _) = await BuildFarm();

        var rows = await All($"SELECT T, CT FROM DIGITALTWINS T JOIN CT RELATED T.contains WHERE T.$dtId = '{farm}'");

        Assert.Equal(turbines, DtIds(rows, "CT"));
        Assert.All(rows, r => Assert.Equal(farm, r.GetProperty("T").GetProperty("$dtId").GetString()));
    }

    [Fact]
    public async Task Join_with_a_relationship_variable_and_two_levels()
    {
        var (farm, turbines, bearings) = await BuildFarm();

        var byRelationship = await All($"SELECT CT.name, R FROM DIGITALTWINS T JOIN CT RELATED T.contains R WHERE T.$dtId = '{farm}' AND R.$relationshipId = 'c2'");
        var twoLevels = await All($"SELECT B FROM DIGITALTWINS T JOIN CT RELATED T.contains JOIN B RELATED CT.contains WHERE T.$dtId = '{farm}' AND IS_OF_MODEL(B, '{TestModels.MainBearing}') AND CT.ratedPowerKW >= 2000");

        var row = Assert.Single(byRelationship);
        Assert.Equal($"{farm} WT 2", row.GetProperty("name").GetString());
        Assert.Equal(turbines[1], row.GetProperty("R").GetProperty("$targetId").GetString());
        Assert.Equal("contains", row.GetProperty("R").GetProperty("$relationshipName").GetString());
        Assert.Equal([bearings[2], bearings[4]], DtIds(twoLevels, "B"));
    }

    [Fact]
    public async Task Join_steps_past_contains_onto_other_relationships()
    {
        var (farm, turbines, _) = await BuildFarm();

        // T comes from the index (a step down contains); its feeds relationships are read from its grain.
        var rows = await All($"SELECT T.$dtId AS fromId, O FROM DIGITALTWINS F JOIN T RELATED F.contains JOIN O RELATED T.feeds WHERE F.$dtId = '{farm}'");

        var row = Assert.Single(rows);
        Assert.Equal(turbines[0], row.GetProperty("fromId").GetString());
        Assert.Equal(turbines[1], row.GetProperty("O").GetProperty("$dtId").GetString());
        Assert.Equal("stopped", row.GetProperty("O").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Join_picked_by_the_target_finds_its_source()
    {
        var (farm, turbines, _) = await BuildFarm();

        var rows = await All($"SELECT T FROM DIGITALTWINS T JOIN CT RELATED T.contains WHERE CT.$dtId = '{turbines[2]}'");

        Assert.Equal([farm], DtIds(rows, "T"));
    }

    [Fact]
    public async Task Match_follows_variable_hops_in_both_directions()
    {
        var (farm, turbines, bearings) = await BuildFarm();

        var upToTwo = await All($"SELECT x FROM DIGITALTWINS MATCH (f)-[:contains*1..2]->(x) WHERE f.$dtId = '{farm}'");
        var exactlyTwo = await All($"SELECT x FROM DIGITALTWINS MATCH (f)-[:contains*2]->(x) WHERE f.$dtId = '{farm}'");
        var up = await All($"SELECT f FROM DIGITALTWINS MATCH (f)-[:contains*2]->(b) WHERE b.$dtId = '{bearings[3]}'");
        var backwards = await All($"SELECT t, r FROM DIGITALTWINS MATCH (b)<-[r:contains]-(t) WHERE b.$dtId = '{bearings[0]}'");
        var either = await All($"SELECT o FROM DIGITALTWINS MATCH (t)-[:feeds|contains]-(o) WHERE t.$dtId = '{turbines[1]}'");

        Assert.Equal(turbines.Concat(bearings).Order(StringComparer.Ordinal), DtIds(upToTwo, "x").Order(StringComparer.Ordinal));
        Assert.Equal(bearings.Order(StringComparer.Ordinal), DtIds(exactlyTwo, "x").Order(StringComparer.Ordinal));
        Assert.Equal([farm], DtIds(up, "f"));
        Assert.Equal([turbines[0]], DtIds(backwards, "t"));
        Assert.Equal("c1", backwards[0].GetProperty("r").GetProperty("$relationshipId").GetString());
        Assert.Equal([farm, turbines[0], bearings[2], bearings[3]], DtIds(either, "o").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task From_relationships_by_source_target_and_property()
    {
        var (farm, turbines, _) = await BuildFarm();

        var ofFarm = await All($"SELECT * FROM RELATIONSHIPS R WHERE R.$sourceId = '{farm}'");
        var intoTurbine = await All($"SELECT R.$sourceId, R.$relationshipName FROM RELATIONSHIPS R WHERE R.$targetId = '{turbines[1]}'");
        var long_ = await All($"SELECT * FROM RELATIONSHIPS R WHERE R.cableKm > 2 AND STARTSWITH(R.$sourceId, '{farm}')");

        Assert.Equal(turbines, ofFarm.Select(r => r.GetProperty("$targetId").GetString()));
        Assert.All(ofFarm, r => Assert.StartsWith("W/\"", r.GetProperty("$etag").GetString()));
        Assert.Equal([(farm, "contains"), (turbines[0], "feeds")], intoTurbine.Select(r => (r.GetProperty("$sourceId").GetString(), r.GetProperty("$relationshipName").GetString())).Order());
        var feed = Assert.Single(long_);
        Assert.Equal(2.5, feed.GetProperty("cableKm").GetDouble());
        Assert.Equal("f1", feed.GetProperty("$relationshipId").GetString());
    }

    [Fact]
    public async Task Pages_are_stable_and_tokens_are_checked()
    {
        var (farm, _, bearings) = await BuildFarm();
        var query = $"SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{TestModels.Bearing}') AND STARTSWITH(T.$dtId, '{farm}')";

        var first = await Queries.Run(query, null, 2);
        var again = await Queries.Run(query, null, 2);
        var second = await Queries.Run(query, first.ContinuationToken, 2);
        var secondByTokenAlone = await Queries.Run("", first.ContinuationToken, 2);
        var rest = await All(query, 2);

        Assert.Equal(2, first.Items.Length);
        Assert.Equal(first.ContinuationToken, again.ContinuationToken);
        Assert.Equal(second.Items, secondByTokenAlone.Items);
        Assert.Equal(bearings.Order(StringComparer.Ordinal), DtIds(rest));
        Assert.Equal(bearings.Order(StringComparer.Ordinal).Skip(2).Take(2), DtIds(second.Items.Select(i => JsonDocument.Parse(i).RootElement)));

        var tampered = first.ContinuationToken![..^2] + (first.ContinuationToken[^2] == 'A' ? "B" : "A") + first.ContinuationToken[^1];
        var badToken = await Assert.ThrowsAsync<TwinOperationException>(() => Queries.Run(query, tampered, 2));
        var otherQuery = await Assert.ThrowsAsync<TwinOperationException>(() => Queries.Run("SELECT * FROM DIGITALTWINS", first.ContinuationToken, 2));
        Assert.Equal(TwinErrorCode.Invalid, badToken.Code);
        Assert.Contains("continuationToken", badToken.Message);
        Assert.Contains("another query", otherQuery.Message);
    }

    [Fact]
    public async Task Join_and_relationship_queries_page_too()
    {
        var (farm, turbines, bearings) = await BuildFarm();

        var joined = await All($"SELECT CT, B FROM DIGITALTWINS T JOIN CT RELATED T.contains JOIN B RELATED CT.contains WHERE T.$dtId = '{farm}'", pageSize: 4);
        var relationships = await All($"SELECT R FROM RELATIONSHIPS R WHERE R.$sourceId IN ['{turbines[0]}', '{turbines[1]}']", pageSize: 2);

        Assert.Equal(bearings, DtIds(joined, "B"));
        Assert.Equal(5, relationships.Count);
    }

    [Fact]
    public async Task A_query_sees_an_acknowledged_write_at_once()
    {
        var id = Ids.New("aq");
        var twin = Grains.GetTwin(new TwinId(id));
        var query = $"SELECT T.ratedPowerKW FROM DIGITALTWINS T WHERE T.$dtId = '{id}' AND T.ratedPowerKW > 100";

        await twin.Create(TestModels.Turbine, """{"ratedPowerKW":50}""");
        Assert.Empty((await Queries.Run(query, null, 0)).Items);

        await twin.Patch("""[{"op":"replace","path":"/ratedPowerKW","value":4200}]""", null);
        Assert.Equal("""{"ratedPowerKW":4200}""", Assert.Single((await Queries.Run(query, null, 0)).Items));

        await twin.Delete(null, cascade: false);
        Assert.Empty((await Queries.Run($"SELECT * FROM DIGITALTWINS T WHERE T.$dtId = '{id}'", null, 0)).Items);
    }

    [Fact]
    public async Task A_bad_query_is_refused_with_its_position()
    {
        var error = await Assert.ThrowsAsync<TwinOperationException>(() => Queries.Run("SELECT T.name AS n, C WHER", null, 0));

        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Equal("query position 23: expected FROM after the projection, found 'WHER'", error.Message);
    }
}
