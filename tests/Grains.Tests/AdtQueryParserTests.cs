using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Queries.Adt;

namespace TwinCluster.Grains.Tests;

/// <summary>The ADT query parser: one test per construct, and bad queries refused with the position named.</summary>
public sealed class AdtQueryParserTests
{
    [Fact]
    public void Select_star_from_digitaltwins_has_no_alias_and_no_condition()
    {
        var query = AdtParser.Parse("SELECT * FROM DIGITALTWINS");

        Assert.True(query.Select.IsStar);
        Assert.Equal(new AdtTwinSource(null, []), query.Source);
        Assert.Null(query.Where);
    }

    [Fact]
    public void Keywords_are_case_insensitive_and_as_is_optional()
    {
        var query = AdtParser.Parse("select * from digitaltwins as T where T.x = 1");

        Assert.Equal("T", ((AdtTwinSource)query.Source).Alias);
        Assert.IsType<AdtComparison>(query.Where);
    }

    [Fact]
    public void Top_takes_a_count_and_defaults_to_star()
    {
        Assert.Equal(5, AdtParser.Parse("SELECT TOP(5) FROM DIGITALTWINS").Select.Top);
        var withStar = AdtParser.Parse("SELECT TOP (2) * FROM DIGITALTWINS T");
        Assert.Equal(2, withStar.Select.Top);
        Assert.True(withStar.Select.IsStar);
    }

    [Fact]
    public void Count_is_a_select_of_its_own()
    {
        var query = AdtParser.Parse("SELECT COUNT() FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:a;1')");

        Assert.True(query.Select.Count);
        Assert.False(query.Select.IsStar);
    }

    [Fact]
    public void Projections_take_their_alias_or_the_last_name_of_the_path()
    {
        var query = AdtParser.Parse("SELECT T.name AS n, C, T.geometry.balls, T.$dtId FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'a'");

        Assert.Equal(["n", "C", "balls", "$dtId"], query.Select.Projections.Select(p => p.Name));
        Assert.Equal(["geometry", "balls"], query.Select.Projections[2].Path.Members);
        Assert.Equal("C", query.Select.Projections[1].Path.Collection);
        Assert.Empty(query.Select.Projections[1].Path.Members);
    }

    [Fact]
    public void Unaliased_collection_takes_bare_property_names()
    {
        var query = AdtParser.Parse("SELECT name FROM DIGITALTWINS WHERE $dtId = 'x' AND IS_OF_MODEL('dtmi:a;1')");

        Assert.Equal(AdtParser.ImplicitCollection, query.Select.Projections[0].Path.Collection);
        var and = Assert.IsType<AdtLogical>(query.Where);
        var id = Assert.IsType<AdtComparison>(and.Operands[0]);
        Assert.Equal(["$dtId"], ((AdtPath)id.Left).Members);
        Assert.Equal(AdtParser.ImplicitCollection, Assert.IsType<AdtIsOfModel>(and.Operands[1]).Collection);
    }

    [Fact]
    public void From_relationships_has_its_own_source()
    {
        var query = AdtParser.Parse("SELECT * FROM RELATIONSHIPS R WHERE R.$sourceId = 'a' AND R.cableKm > 2");

        Assert.Equal(new AdtRelationshipSource("R"), query.Source);
    }

    [Fact]
    public void Join_names_target_source_relationship_and_optional_relationship_variable()
    {
        var query = AdtParser.Parse("SELECT T, CT, R FROM DIGITALTWINS T JOIN CT RELATED T.contains R JOIN B RELATED CT.contains WHERE T.$dtId = 'f'");

        var source = Assert.IsType<AdtTwinSource>(query.Source);
        Assert.Equal(("CT", "T", "contains", "R"), (source.Joins[0].Target, source.Joins[0].Source, source.Joins[0].Relationship, source.Joins[0].RelationshipAlias));
        Assert.Equal(("B", "CT", null), (source.Joins[1].Target, source.Joins[1].Source, source.Joins[1].RelationshipAlias));
    }

    [Fact]
    public void Five_joins_are_allowed_and_a_sixth_is_refused_at_its_position()
    {
        var five = "SELECT A FROM DIGITALTWINS A JOIN B RELATED A.r JOIN C RELATED B.r JOIN D RELATED C.r JOIN E RELATED D.r JOIN F RELATED E.r";
        Assert.Equal(5, ((AdtTwinSource)AdtParser.Parse(five + " WHERE A.$dtId = 'x'").Source).Joins.Length);

        var six = five + " JOIN G RELATED F.r WHERE A.$dtId = 'x'";
        AssertRefused(six, six.IndexOf("JOIN G", StringComparison.Ordinal) + 1, "at most 5 JOINs");
    }

    [Fact]
    public void Match_reads_nodes_hops_names_and_directions()
    {
        var query = AdtParser.Parse("SELECT a, b, c FROM DIGITALTWINS MATCH (a)-[:contains*1..3]->(b)<-[r:feeds]-(c)-[:x|y]-() WHERE a.$dtId = 'f'");

        var match = Assert.IsType<AdtMatchSource>(query.Source);
        Assert.Equal(["a", "b", "c", "#3"], match.Nodes.Select(n => n.Name));
        Assert.Equal((1, 3, AdtDirection.Out, (string?)null), (match.Edges[0].MinHops, match.Edges[0].MaxHops, match.Edges[0].Direction, match.Edges[0].Alias));
        Assert.Equal(["contains"], match.Edges[0].Names);
        Assert.Equal((1, 1, AdtDirection.In, "r"), (match.Edges[1].MinHops, match.Edges[1].MaxHops, match.Edges[1].Direction, match.Edges[1].Alias));
        Assert.Equal((AdtDirection.Either, 2), (match.Edges[2].Direction, match.Edges[2].Names.Length));
    }

    [Theory]
    [InlineData("*2", 2, 2)]
    [InlineData("*..4", 1, 4)]
    [InlineData("*2..", 2, AdtParser.MaxHops)]
    [InlineData("*", 1, AdtParser.MaxHops)]
    [InlineData("", 1, 1)]
    public void Match_hop_ranges(string hops, int min, int max)
    {
        var query = AdtParser.Parse($"SELECT b FROM DIGITALTWINS MATCH (a)-[:contains{hops}]->(b) WHERE a.$dtId = 'f'");

        var edge = ((AdtMatchSource)query.Source).Edges[0];
        Assert.Equal((min, max), (edge.MinHops, edge.MaxHops));
    }

    [Theory]
    [InlineData("=", AdtComparisonOperator.Eq)]
    [InlineData("!=", AdtComparisonOperator.Ne)]
    [InlineData("<>", AdtComparisonOperator.Ne)]
    [InlineData("<", AdtComparisonOperator.Lt)]
    [InlineData("<=", AdtComparisonOperator.Le)]
    [InlineData(">", AdtComparisonOperator.Gt)]
    [InlineData(">=", AdtComparisonOperator.Ge)]
    public void Comparison_operators(string symbol, AdtComparisonOperator op)
    {
        var where = AdtParser.Parse($"SELECT * FROM DIGITALTWINS T WHERE T.rating {symbol} -3.5").Where;

        var comparison = Assert.IsType<AdtComparison>(where);
        Assert.Equal(op, comparison.Operator);
        Assert.Equal(-3.5, Assert.IsType<AdtLiteral>(comparison.Right).Value.Number);
    }

    [Fact]
    public void And_binds_tighter_than_or_and_not_applies_to_one_term()
    {
        var where = AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE T.a = 1 OR NOT T.b = 2 AND T.c = 3").Where;

        var or = Assert.IsType<AdtLogical>(where);
        Assert.False(or.IsAnd);
        var and = Assert.IsType<AdtLogical>(or.Operands[1]);
        Assert.True(and.IsAnd);
        Assert.IsType<AdtNot>(and.Operands[0]);
    }

    [Fact]
    public void Parentheses_group_conditions()
    {
        var where = AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE (T.a = 1 OR T.b = 2) AND T.c = 3").Where;

        var and = Assert.IsType<AdtLogical>(where);
        Assert.True(and.IsAnd);
        Assert.False(Assert.IsType<AdtLogical>(and.Operands[0]).IsAnd);
    }

    [Fact]
    public void In_and_nin_take_lists_of_literals()
    {
        var where = (AdtLogical)AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE T.$dtId IN ['a', 'b'] AND T.n NIN [1, 2, null] AND T.s NOT IN ['x']").Where!;

        var @in = Assert.IsType<AdtIn>(where.Operands[0]);
        Assert.False(@in.Negated);
        Assert.Equal(["a", "b"], @in.List.Select(v => v.Text));
        Assert.True(Assert.IsType<AdtIn>(where.Operands[1]).Negated);
        Assert.Equal(AdtValueKind.Null, ((AdtIn)where.Operands[1]).List[2].Kind);
        Assert.True(Assert.IsType<AdtIn>(where.Operands[2]).Negated);
    }

    [Fact]
    public void Is_of_model_takes_a_collection_a_model_and_exact()
    {
        var where = (AdtLogical)AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:a;1') AND IS_OF_MODEL(T, 'dtmi:b;1', exact)").Where!;

        Assert.Equal(new AdtIsOfModel("T", "dtmi:a;1", false, 36), where.Operands[0]);
        Assert.True(Assert.IsType<AdtIsOfModel>(where.Operands[1]).Exact);
    }

    [Theory]
    [InlineData("IS_DEFINED")]
    [InlineData("IS_NULL")]
    [InlineData("IS_BOOL")]
    [InlineData("IS_NUMBER")]
    [InlineData("is_string")]
    [InlineData("IS_PRIMITIVE")]
    [InlineData("IS_OBJECT")]
    public void Type_functions_take_one_argument(string function)
    {
        var where = AdtParser.Parse($"SELECT * FROM DIGITALTWINS T WHERE {function}(T.a.b)").Where;

        var call = Assert.IsType<AdtFunction>(where);
        Assert.Equal(function.ToUpperInvariant(), call.Name);
        Assert.Equal(["a", "b"], Assert.IsType<AdtPath>(Assert.Single(call.Arguments)).Members);
    }

    [Theory]
    [InlineData("STARTSWITH")]
    [InlineData("ENDSWITH")]
    [InlineData("CONTAINS")]
    public void String_functions_take_two_arguments(string function)
    {
        var call = Assert.IsType<AdtFunction>(AdtParser.Parse($"SELECT * FROM DIGITALTWINS T WHERE {function}(T.name, 'WT')").Where);

        Assert.Equal("WT", Assert.IsType<AdtLiteral>(call.Arguments[1]).Value.Text);
    }

    [Fact]
    public void System_properties_and_nested_paths_are_paths()
    {
        var where = (AdtLogical)AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE T.$metadata.$model = 'dtmi:a;1' AND T.geometry.balls >= 9").Where!;

        Assert.Equal(["$metadata", "$model"], ((AdtPath)((AdtComparison)where.Operands[0]).Left).Members);
        Assert.Equal(["geometry", "balls"], ((AdtPath)((AdtComparison)where.Operands[1]).Left).Members);
    }

    [Fact]
    public void Strings_take_either_quote_and_doubled_quotes()
    {
        var or = (AdtLogical)AdtParser.Parse("SELECT * FROM DIGITALTWINS T WHERE T.name = 'it''s' OR T.name = \"b\"").Where!;

        Assert.Equal("it's", ((AdtLiteral)((AdtComparison)or.Operands[0]).Right).Value.Text);
        Assert.Equal("b", ((AdtLiteral)((AdtComparison)or.Operands[1]).Right).Value.Text);
    }

    // ---- bad queries: each refused with the position where it went wrong ----

    [Fact]
    public void Misspelt_from_names_its_position()
    {
        const string query = "SELECT T.name AS n, C WHER";
        AssertRefused(query, 23, "expected FROM after the projection, found 'WHER'");
    }

    [Fact]
    public void Misspelt_where_names_its_position()
    {
        const string query = "SELECT * FROM DIGITALTWINS T WHER T.x = 1";
        AssertRefused(query, 30, "expected WHERE or the end of the query, found 'WHER'");
    }

    [Theory]
    [InlineData("", 1, "expected SELECT")]
    [InlineData("FROM DIGITALTWINS", 1, "expected SELECT at the start of the query, found 'FROM'")]
    [InlineData("SELECT FROM DIGITALTWINS", 8, "expected *, COUNT(), TOP( ) or a collection to return, found 'FROM'")]
    [InlineData("SELECT * FROM TWINS", 15, "expected DIGITALTWINS after FROM")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.x = 'open", 42, "this string is never closed")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.x # 1", 40, "the character '#' is not part of the query language")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.x =", 41, "expected a property, a value or a function")]
    [InlineData("SELECT TOP(0) FROM DIGITALTWINS", 12, "a whole number of at least 1")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE FOO(T.x)", 36, "'FOO' is not a function")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, dtmi)", 51, "expected a model id in quotes")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.x IN ('a')", 43, "expected '[' to open the IN list")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.x = 1 AND", 47, "expected a property, a value or a function")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE (T.x = 1", 44, "expected ')' to close '('")]
    [InlineData("SELECT * FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'a'", 8, "SELECT * cannot be used with JOIN or MATCH")]
    [InlineData("SELECT C FROM DIGITALTWINS T JOIN C RELATED X.contains WHERE T.$dtId = 'a'", 45, "'X' is not a twin collection named before this JOIN")]
    [InlineData("SELECT C FROM DIGITALTWINS T JOIN C RELATED T.contains", 55, "needs a WHERE clause")]
    [InlineData("SELECT X.name FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'a'", 8, "'X' is not a collection of this query (it has T, C)")]
    [InlineData("SELECT T.name, C.name FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'a'", 16, "the column name 'name' is used twice")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)-[r:contains*1..3]->(b) WHERE a.$dtId = 'x'", 37, "the relationship variable 'r' needs a single hop")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)-[:contains*3..1]->(b) WHERE a.$dtId = 'x'", 48, "the hop range 3..1 is empty")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)-[:contains*20]->(b) WHERE a.$dtId = 'x'", 49, "a hop count is a whole number from 1 to 10")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)<-[:contains]->(b) WHERE a.$dtId = 'x'", 37, "points one way")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)-[:contains]->(a) WHERE a.$dtId = 'x'", 52, "the name 'a' is used twice")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.$etag = 'x'", 36, "T.$etag cannot be used in WHERE")]
    public void Bad_query_is_refused_with_its_position(string query, int position, string message) =>
        AssertRefused(query, position, message);

    private static void AssertRefused(string query, int position, string message)
    {
        var error = Assert.Throws<TwinOperationException>(() => AdtParser.Parse(query));
        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.StartsWith($"query position {position}: ", error.Message);
        Assert.Contains(message, error.Message);
    }
}
