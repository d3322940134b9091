using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Queries.Adt;

namespace TwinCluster.Grains.Tests;

/// <summary>WHERE evaluation, push-down planning and page tokens on plain data: no cluster.</summary>
public sealed class AdtQueryEvaluatorTests
{
    private const string Twin = """{"name":"WT 7","rating":4.5,"on":true,"gone":null,"geometry":{"balls":9,"type":"deep groove"},"tags":["a"]}""";

    private static readonly AdtEvaluator Evaluator = new(new Dictionary<string, IReadOnlySet<string>>
    {
        ["dtmi:test:Bearing;1"] = new HashSet<string> { "dtmi:test:Bearing;1", "dtmi:test:MainBearing;1" },
    });

    private static bool Where(string condition, string json = Twin, string model = "dtmi:test:MainBearing;1")
    {
        var query = AdtParser.Parse($"SELECT * FROM DIGITALTWINS T WHERE {condition}");
        var row = new AdtRow("T", new AdtTwin(new IndexEntry("wt-7", model, json, null)));
        return Evaluator.Matches(query.Where, row);
    }

    [Theory]
    [InlineData("T.rating = 4.5", true)]
    [InlineData("T.rating != 4.5", false)]
    [InlineData("T.rating > 3.0", true)]
    [InlineData("T.rating >= 4.5", true)]
    [InlineData("T.rating < 4.5", false)]
    [InlineData("T.rating <= 4.5", true)]
    [InlineData("3 < T.rating", true)]
    [InlineData("T.name = 'WT 7'", true)]
    [InlineData("T.name > 'WT 6'", true)]
    [InlineData("T.name = 'wt 7'", false)]
    [InlineData("T.on = true", true)]
    [InlineData("T.gone = null", true)]
    public void Comparisons_of_one_kind(string condition, bool expected) => Assert.Equal(expected, Where(condition));

    [Theory]
    [InlineData("T.name = 5")]
    [InlineData("T.name != 5")]
    [InlineData("T.name > 5")]
    [InlineData("T.missing != 5")]
    [InlineData("T.missing = T.missing")]
    [InlineData("NOT T.missing = 5")]
    [InlineData("T.geometry = 5")]
    public void Comparisons_across_kinds_or_with_missing_properties_never_match(string condition) => Assert.False(Where(condition));

    [Theory]
    [InlineData("T.missing = 5 OR T.rating > 4", true)]
    [InlineData("T.missing = 5 AND T.rating > 4", false)]
    [InlineData("NOT (T.rating > 4)", false)]
    [InlineData("NOT T.rating < 4", true)]
    [InlineData("T.rating > 4 AND (T.name = 'x' OR T.on = true)", true)]
    public void Logic_is_three_valued(string condition, bool expected) => Assert.Equal(expected, Where(condition));

    [Theory]
    [InlineData("T.name IN ['WT 6', 'WT 7']", true)]
    [InlineData("T.name IN ['WT 6']", false)]
    [InlineData("T.name NIN ['WT 6']", true)]
    [InlineData("T.name NIN ['WT 7']", false)]
    [InlineData("T.missing NIN ['WT 7']", false)]
    [InlineData("T.geometry.balls IN [8, 9]", true)]
    [InlineData("T.$dtId IN ['wt-7']", true)]
    public void In_and_nin(string condition, bool expected) => Assert.Equal(expected, Where(condition));

    [Theory]
    [InlineData("IS_OF_MODEL(T, 'dtmi:test:Bearing;1')", true)]
    [InlineData("IS_OF_MODEL(T, 'dtmi:test:Bearing;1', exact)", false)]
    [InlineData("IS_OF_MODEL(T, 'dtmi:test:MainBearing;1', exact)", true)]
    [InlineData("IS_OF_MODEL(T, 'dtmi:test:Turbine;1')", false)]
    [InlineData("T.$metadata.$model = 'dtmi:test:MainBearing;1'", true)]
    public void Model_conditions_follow_the_subtype_sets(string condition, bool expected) => Assert.Equal(expected, Where(condition));

    [Theory]
    [InlineData("IS_DEFINED(T.rating)", true)]
    [InlineData("IS_DEFINED(T.missing)", false)]
    [InlineData("IS_DEFINED(T.gone)", true)]
    [InlineData("IS_NULL(T.gone)", true)]
    [InlineData("IS_NULL(T.missing)", false)]
    [InlineData("IS_BOOL(T.on)", true)]
    [InlineData("IS_BOOL(T.rating)", false)]
    [InlineData("IS_NUMBER(T.rating)", true)]
    [InlineData("IS_NUMBER(T.name)", false)]
    [InlineData("IS_STRING(T.name)", true)]
    [InlineData("IS_PRIMITIVE(T.gone)", true)]
    [InlineData("IS_PRIMITIVE(T.geometry)", false)]
    [InlineData("IS_OBJECT(T.geometry)", true)]
    [InlineData("IS_OBJECT(T.tags)", false)]
    [InlineData("NOT IS_DEFINED(T.missing)", true)]
    public void Type_functions(string condition, bool expected) => Assert.Equal(expected, Where(condition));

    [Theory]
    [InlineData("STARTSWITH(T.name, 'WT')", true)]
    [InlineData("STARTSWITH(T.name, 'wt')", false)]
    [InlineData("ENDSWITH(T.name, ' 7')", true)]
    [InlineData("CONTAINS(T.geometry.type, 'groove')", true)]
    [InlineData("CONTAINS(T.rating, '4')", false)]
    [InlineData("STARTSWITH(T.$dtId, 'wt-')", true)]
    public void String_functions(string condition, bool expected) => Assert.Equal(expected, Where(condition));

    [Theory]
    [InlineData("T.geometry.balls = 9", true)]
    [InlineData("T.geometry.type = 'deep groove'", true)]
    [InlineData("T.geometry.balls.x = 9", false)]
    [InlineData("T.$dtId = 'wt-7'", true)]
    public void Nested_paths_and_the_twin_id(string condition, bool expected) => Assert.Equal(expected, Where(condition));

    [Fact]
    public void Relationship_rows_expose_their_system_properties()
    {
        var query = AdtParser.Parse("SELECT * FROM RELATIONSHIPS R WHERE R.$sourceId = 'a' AND R.$targetId = 'b' AND R.$relationshipName = 'feeds' AND R.$relationshipId = 'f1' AND R.cableKm > 2");
        var row = new AdtRow("R", new AdtRelationship(new Relationship("f1", "feeds", "a", "b", """{"cableKm":2.5}""")));

        Assert.True(Evaluator.Matches(query.Where, row));
        Assert.False(Evaluator.Matches(AdtParser.Parse("SELECT * FROM RELATIONSHIPS R WHERE R.cableKm > 3").Where, row));
    }

    [Fact]
    public void Model_and_property_comparisons_are_pushed_to_the_index()
    {
        var where = AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T,'dtmi:test:Bearing;1') AND T.rating > 3.0 AND 'WT' <= T.name AND T.on = true AND T.geometry.balls = 9").Where;

        var push = AdtPushdown.For(where, "T");

        Assert.Equal(("dtmi:test:Bearing;1", true), (push.ModelId, push.IncludeSubtypes));
        Assert.Equal(
            [
                new PropertyFilter("rating", FilterOperator.Gt, "3"),
                new PropertyFilter("name", FilterOperator.Ge, "\"WT\""),
                new PropertyFilter("on", FilterOperator.Eq, "true"),
                new PropertyFilter("geometry.balls", FilterOperator.Eq, "9"),
            ],
            push.Filters);
        Assert.Null(push.Ids);
    }

    [Fact]
    public void Only_what_the_index_decides_alike_is_pushed_down()
    {
        // != (the index passes other kinds), OR, NOT, functions and $-paths other than the id and model stay behind.
        var where = AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE T.a != 1 AND (T.b = 1 OR T.c = 2) AND NOT T.d = 1 AND IS_DEFINED(T.e) AND T.$metadata.rating.lastUpdateTime = 'x' AND T.f > true").Where;

        var push = AdtPushdown.For(where, "T");

        Assert.Empty(push.Filters);
        Assert.Null(push.ModelId);
    }

    [Fact]
    public void Twin_ids_from_equality_and_in_are_intersected()
    {
        var where = AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE T.$dtId IN ['a', 'b', 'c'] AND T.$dtId IN ['b', 'c', 'd'] AND IS_OF_MODEL(T, 'dtmi:x;1', exact)").Where;

        var push = AdtPushdown.For(where, "T");

        Assert.Equal(["b", "c"], push.Ids!);
        Assert.Equal(("dtmi:x;1", false), (push.ModelId, push.IncludeSubtypes));
    }

    [Fact]
    public void Page_tokens_round_trip_and_refuse_tampering_and_other_clusters()
    {
        var key = AdtPageToken.KeyFor("cluster-a");
        var token = new AdtPageToken("SELECT * FROM DIGITALTWINS", "wt-7", 100).Encode(key);

        Assert.Equal(new AdtPageToken("SELECT * FROM DIGITALTWINS", "wt-7", 100), AdtPageToken.Decode(token, key));

        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        foreach (var bad in new[] { tampered, token + "x", "garbage", "", token.Replace(".", "", StringComparison.Ordinal) })
        {
            var error = Assert.Throws<TwinOperationException>(() => AdtPageToken.Decode(bad, key));
            Assert.Equal(TwinErrorCode.Invalid, error.Code);
            Assert.Contains("continuationToken", error.Message);
        }

        Assert.Throws<TwinOperationException>(() => AdtPageToken.Decode(token, AdtPageToken.KeyFor("cluster-b")));
    }

    [Fact]
    public void Row_writer_leaves_missing_properties_out_and_counts()
    {
        var query = AdtParser.Parse("SELECT T.name AS n, T.geometry.balls, T.missing, T.geometry FROM DIGITALTWINS T");
        var row = new AdtRow("T", new AdtTwin(new IndexEntry("wt-7", "dtmi:x;1", Twin, null)));

        Assert.Equal("""{"n":"WT 7","balls":9,"geometry":{"balls":9,"type":"deep groove"}}""", AdtRowWriter.Write(query, "T", row));
        Assert.Equal("""{"COUNT":42}""", AdtRowWriter.Count(42));
    }
}
