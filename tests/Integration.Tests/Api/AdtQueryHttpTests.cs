using System.Text.Json.Nodes;
using Xunit;
using static TwinCluster.Integration.Tests.Api.ApiSilo;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>
/// The query language over plain HTTP (<c>POST /query</c>) against a fleet that is alone in its silo: one case per
/// construct with its exact rows, one per bad query with its 400 and the position it names, and paging.
/// </summary>
public sealed class AdtQueryHttpTests(QueryFleet fleet) : IClassFixture<QueryFleet>
{
    private const string Pump = "'" + QueryFleet.Pump + "'";

    [Theory]
    // SELECT and FROM
    [InlineData("star", "SELECT * FROM DIGITALTWINS", new[] { "asset-1", "motor-1", "part-1", "pump-1", "pump-2", "pump-3", "site-a", "site-b" })]
    [InlineData("lower-case keywords, bare property", "select * from digitaltwins where rank = 4", new[] { "part-1" })]
    [InlineData("projection", "SELECT T.name, T.rank FROM DIGITALTWINS T WHERE T.$dtId = 'pump-1'", new[] { "name=Pump one,rank=1" })]
    [InlineData("projection AS", "SELECT T.name AS label, T.$dtId AS id FROM DIGITALTWINS T WHERE T.rank = 4", new[] { "label=Rotor,id=part-1" })]
    [InlineData("projection of a collection", "SELECT T FROM DIGITALTWINS T WHERE T.rank = 5", new[] { "T=asset-1" })]
    [InlineData("projection of a nested path", "SELECT T.spec.maker FROM DIGITALTWINS T WHERE IS_OBJECT(T.spec)", new[] { "maker=Acme", "maker=Bolt" })]
    [InlineData("projection leaves a missing property out", "SELECT T.tag FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, " + Pump + ")", new[] { "tag=north", "{}", "{}" })]
    [InlineData("TOP", "SELECT TOP(2) FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, " + Pump + ")", new[] { "pump-1", "pump-2" })]
    [InlineData("TOP with a projection", "SELECT TOP(1) T.name FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId, 'site')", new[] { "name=Site A" })]
    [InlineData("COUNT", "SELECT COUNT() FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, " + Pump + ")", new[] { "COUNT=3" })]
    [InlineData("COUNT of all", "SELECT COUNT() FROM DIGITALTWINS", new[] { "COUNT=8" })]
    [InlineData("line comment", "SELECT * FROM DIGITALTWINS T -- the spare\nWHERE T.rank = 5", new[] { "asset-1" })]
    [InlineData("double-quoted string", "SELECT * FROM DIGITALTWINS T WHERE T.name = \"Rotor\"", new[] { "part-1" })]
    // comparisons (a missing property or another kind never matches)
    [InlineData("=", "SELECT * FROM DIGITALTWINS T WHERE T.rank = 2", new[] { "motor-1", "pump-2" })]
    [InlineData("literal on the left", "SELECT * FROM DIGITALTWINS T WHERE 2 = T.rank", new[] { "motor-1", "pump-2" })]
    [InlineData("!=", "SELECT * FROM DIGITALTWINS T WHERE T.flow != 20", new[] { "pump-1", "pump-3" })]
    [InlineData("<>", "SELECT * FROM DIGITALTWINS T WHERE T.tag <> 'north'", new[] { "motor-1" })]
    [InlineData("<", "SELECT * FROM DIGITALTWINS T WHERE T.rank < 1", new[] { "site-a", "site-b" })]
    [InlineData("<=", "SELECT * FROM DIGITALTWINS T WHERE T.flow <= 20", new[] { "pump-1", "pump-2" })]
    [InlineData(">", "SELECT * FROM DIGITALTWINS T WHERE T.rank > 3", new[] { "asset-1", "part-1" })]
    [InlineData(">=", "SELECT * FROM DIGITALTWINS T WHERE T.flow >= 20", new[] { "pump-2", "pump-3" })]
    [InlineData("string order", "SELECT * FROM DIGITALTWINS T WHERE T.name < 'P'", new[] { "motor-1" })]
    [InlineData("boolean", "SELECT * FROM DIGITALTWINS T WHERE T.active = false", new[] { "asset-1", "pump-2", "site-b" })]
    [InlineData("negative number", "SELECT * FROM DIGITALTWINS T WHERE T.rank > -1 AND T.rank < 1", new[] { "site-a", "site-b" })]
    // logic
    [InlineData("AND", "SELECT * FROM DIGITALTWINS T WHERE T.active = true AND T.rank >= 2", new[] { "motor-1", "part-1", "pump-3" })]
    [InlineData("OR", "SELECT * FROM DIGITALTWINS T WHERE T.rank = 5 OR T.tag = 'north'", new[] { "asset-1", "pump-1" })]
    [InlineData("NOT", "SELECT * FROM DIGITALTWINS T WHERE NOT T.active = true", new[] { "asset-1", "pump-2", "site-b" })]
    [InlineData("a boolean property as a condition", "SELECT * FROM DIGITALTWINS T WHERE T.active AND T.rank > 3", new[] { "part-1" })]
    [InlineData("parentheses", "SELECT * FROM DIGITALTWINS T WHERE (T.rank = 1 OR T.rank = 2) AND T.active = true", new[] { "motor-1", "pump-1" })]
    [InlineData("IN", "SELECT * FROM DIGITALTWINS T WHERE T.$dtId IN ['pump-1', 'site-b', 'nobody']", new[] { "pump-1", "site-b" })]
    [InlineData("IN numbers", "SELECT * FROM DIGITALTWINS T WHERE T.rank IN [0, 3]", new[] { "pump-3", "site-a", "site-b" })]
    [InlineData("NIN", "SELECT * FROM DIGITALTWINS T WHERE T.tag NIN ['north']", new[] { "motor-1" })]
    [InlineData("NOT IN", "SELECT * FROM DIGITALTWINS T WHERE T.rank NOT IN [0, 1, 2]", new[] { "asset-1", "part-1", "pump-3" })]
    // models and system properties
    [InlineData("IS_OF_MODEL with subtypes", "SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, " + Pump + ")", new[] { "pump-1", "pump-2", "pump-3" })]
    [InlineData("IS_OF_MODEL of the base", "SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '" + QueryFleet.Asset + "')", new[] { "asset-1", "motor-1", "part-1", "pump-1", "pump-2", "pump-3", "site-a", "site-b" })]
    [InlineData("IS_OF_MODEL exact", "SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '" + QueryFleet.Asset + "', exact)", new[] { "asset-1", "part-1" })]
    [InlineData("IS_OF_MODEL of the only collection", "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('" + QueryFleet.Site + "')", new[] { "site-a", "site-b" })]
    [InlineData("$metadata.$model", "SELECT * FROM DIGITALTWINS T WHERE T.$metadata.$model = '" + QueryFleet.Motor + "'", new[] { "motor-1" })]
    [InlineData("$dtId", "SELECT * FROM DIGITALTWINS T WHERE T.$dtId = 'part-1'", new[] { "part-1" })]
    // functions
    [InlineData("IS_DEFINED", "SELECT * FROM DIGITALTWINS T WHERE IS_DEFINED(T.tag)", new[] { "motor-1", "pump-1" })]
    [InlineData("IS_NULL (no twin holds null)", "SELECT * FROM DIGITALTWINS T WHERE IS_NULL(T.tag)", new string[0])]
    [InlineData("NOT IS_NULL", "SELECT * FROM DIGITALTWINS T WHERE NOT IS_NULL(T.tag)", new[] { "asset-1", "motor-1", "part-1", "pump-1", "pump-2", "pump-3", "site-a", "site-b" })]
    [InlineData("IS_BOOL", "SELECT * FROM DIGITALTWINS T WHERE IS_BOOL(T.active) AND NOT IS_BOOL(T.rank) AND T.rank >= 4", new[] { "asset-1", "part-1" })]
    [InlineData("IS_NUMBER", "SELECT * FROM DIGITALTWINS T WHERE IS_NUMBER(T.flow)", new[] { "pump-1", "pump-2", "pump-3" })]
    [InlineData("IS_STRING", "SELECT * FROM DIGITALTWINS T WHERE IS_STRING(T.tag)", new[] { "motor-1", "pump-1" })]
    [InlineData("IS_PRIMITIVE", "SELECT * FROM DIGITALTWINS T WHERE IS_PRIMITIVE(T.tag) OR IS_PRIMITIVE(T.spec)", new[] { "motor-1", "pump-1" })]
    [InlineData("IS_OBJECT", "SELECT * FROM DIGITALTWINS T WHERE IS_OBJECT(T.spec)", new[] { "pump-1", "pump-2" })]
    [InlineData("STARTSWITH", "SELECT * FROM DIGITALTWINS T WHERE STARTSWITH(T.name, 'Pump')", new[] { "pump-1", "pump-2", "pump-3" })]
    [InlineData("ENDSWITH", "SELECT * FROM DIGITALTWINS T WHERE ENDSWITH(T.name, 'one')", new[] { "motor-1", "pump-1" })]
    [InlineData("CONTAINS", "SELECT * FROM DIGITALTWINS T WHERE CONTAINS(T.name, 'tw')", new[] { "pump-2" })]
    [InlineData("nested property path", "SELECT * FROM DIGITALTWINS T WHERE T.spec.maker = 'Acme'", new[] { "pump-1" })]
    [InlineData("nested property comparison", "SELECT * FROM DIGITALTWINS T WHERE T.spec.size > 3", new[] { "pump-2" })]
    // relationships
    [InlineData("FROM RELATIONSHIPS by source", "SELECT * FROM RELATIONSHIPS R WHERE R.$sourceId = 'site-a'", new[] { "c-m1", "c-p1", "c-p2" })]
    [InlineData("FROM RELATIONSHIPS by target", "SELECT R.$sourceId, R.$relationshipName FROM RELATIONSHIPS R WHERE R.$targetId = 'motor-1'",
        new[] { "$sourceId=pump-1,$relationshipName=feeds", "$sourceId=pump-2,$relationshipName=feeds", "$sourceId=site-a,$relationshipName=contains" })]
    [InlineData("FROM RELATIONSHIPS by property", "SELECT R.$relationshipId, R.weight FROM RELATIONSHIPS R WHERE R.weight > 1", new[] { "$relationshipId=f-2,weight=1.5" })]
    [InlineData("FROM RELATIONSHIPS unnamed", "SELECT * FROM RELATIONSHIPS WHERE $relationshipName = 'feeds'", new[] { "f-1", "f-2" })]
    [InlineData("COUNT of relationships", "SELECT COUNT() FROM RELATIONSHIPS", new[] { "COUNT=8" })]
    [InlineData("JOIN", "SELECT C FROM DIGITALTWINS S JOIN C RELATED S.contains WHERE S.$dtId = 'site-a'", new[] { "C=motor-1", "C=pump-1", "C=pump-2" })]
    [InlineData("JOIN with a relationship variable", "SELECT C.name, R.$relationshipId FROM DIGITALTWINS S JOIN C RELATED S.contains R WHERE S.$dtId = 'site-b' AND R.$relationshipId = 'c-p3'",
        new[] { "name=Pump three,$relationshipId=c-p3" })]
    [InlineData("JOIN filtered on the joined twins", "SELECT C FROM DIGITALTWINS S JOIN C RELATED S.contains WHERE S.$dtId = 'site-a' AND IS_OF_MODEL(C, " + Pump + ") AND C.rank > 1",
        new[] { "C=pump-2" })]
    [InlineData("two JOINs", "SELECT P FROM DIGITALTWINS S JOIN M RELATED S.contains JOIN P RELATED M.contains WHERE S.$dtId = 'site-a'", new[] { "P=part-1" })]
    [InlineData("JOIN on another relationship", "SELECT P.$dtId AS src, M.$dtId AS dst FROM DIGITALTWINS P JOIN M RELATED P.feeds WHERE P.$dtId IN ['pump-1', 'pump-2', 'pump-3']",
        new[] { "src=pump-1,dst=motor-1", "src=pump-2,dst=motor-1" })]
    [InlineData("JOIN picked by its target", "SELECT S FROM DIGITALTWINS S JOIN C RELATED S.contains WHERE C.$dtId = 'pump-3'", new[] { "S=site-b" })]
    [InlineData("MATCH with a hop range", "SELECT x FROM DIGITALTWINS MATCH (s)-[:contains*1..2]->(x) WHERE s.$dtId = 'site-a'", new[] { "x=motor-1", "x=part-1", "x=pump-1", "x=pump-2" })]
    [InlineData("MATCH backwards with a relationship variable", "SELECT s, r FROM DIGITALTWINS MATCH (m)<-[r:contains]-(s) WHERE m.$dtId = 'part-1'", new[] { "s=motor-1,r=c-r1" })]
    [InlineData("MATCH either way over two names", "SELECT o FROM DIGITALTWINS MATCH (m)-[:feeds|contains]-(o) WHERE m.$dtId = 'motor-1'", new[] { "o=part-1", "o=pump-1", "o=pump-2", "o=site-a" })]
    public async Task Each_construct_returns_exactly_its_rows(string construct, string query, string[] expected)
    {
        // Pages of three: every construct is also read across continuation tokens.
        var rows = await fleet.QueryAllAsync(query, 3);

        var actual = rows.Select(QueryFleet.Render).Order(StringComparer.Ordinal).ToArray();
        Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(actual),
            $"{construct}: {query}\nexpected {string.Join(" | ", expected)}\n     got {string.Join(" | ", actual)}");
    }

    [Theory]
    // The position the message must name is where § stands (it is removed before the query is sent).
    [InlineData("SELECT * FROM DIGITALTWINS WHERE§", "expected a property, a value or a function")]
    [InlineData("§FROM DIGITALTWINS", "expected SELECT at the start of the query, found 'FROM'")]
    [InlineData("SELECT * FROM §TWINS", "expected DIGITALTWINS after FROM")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.name = §'open", "this string is never closed")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.rank §# 1", "the character '#' is not part of the query language")]
    [InlineData("SELECT TOP(§0) FROM DIGITALTWINS", "a whole number of at least 1")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.rank = 1 §T.rank = 2", "expected AND, OR or the end of the query")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.rank IN §('a')", "expected '[' to open the IN list")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE (T.rank = 1§", "expected ')' to close '('")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, §pump)", "expected a model id in quotes")]
    // unknown names
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE §FOO(T.rank)", "'FOO' is not a function of the query language")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(§X, " + Pump + ")", "'X' is not a twin collection of this query")]
    [InlineData("SELECT §X.name FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'site-a'", "'X' is not a collection of this query (it has T, C)")]
    [InlineData("SELECT T.name, §C.name FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'site-a'", "the column name 'name' is used twice")]
    // constructs outside the language
    [InlineData("SELECT * FROM DIGITALTWINS T §ORDER BY T.name", "expected WHERE or the end of the query, found 'ORDER'")]
    [InlineData("SELECT §* FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'site-a'", "SELECT * cannot be used with JOIN or MATCH")]
    [InlineData("SELECT R FROM RELATIONSHIPS R §JOIN C RELATED R.contains", "JOIN works on FROM DIGITALTWINS, not FROM RELATIONSHIPS")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE §T.$etag = 'x'", "cannot be used in WHERE")]
    [InlineData("SELECT C FROM DIGITALTWINS T JOIN C RELATED T.contains§", "needs a WHERE clause")]
    [InlineData("SELECT A FROM DIGITALTWINS T JOIN A RELATED T.contains JOIN B RELATED A.contains JOIN C RELATED B.contains JOIN D RELATED C.contains JOIN E RELATED D.contains §JOIN F RELATED E.contains WHERE T.$dtId = 'site-a'",
        "at most 5 JOINs")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)-[:contains§*3..2]->(b) WHERE a.$dtId = 'site-a'", "the hop range 3..2 is empty")]
    [InlineData("SELECT x FROM DIGITALTWINS MATCH §()-[:contains]->(x) WHERE x.rank = 1", "MATCH needs a named twin picked by $dtId")]
    public async Task A_bad_query_is_a_400_that_names_its_position(string marked, string says)
    {
        var position = marked.IndexOf('§', StringComparison.Ordinal) + 1;
        Assert.True(position > 0, "the case marks no position");
        var query = marked.Replace("§", "", StringComparison.Ordinal);

        var (status, body, _) = await fleet.Api.SendAsync(HttpMethod.Post, $"/query?{ApiVersion}", new JsonObject { ["query"] = query }.ToJsonString());

        Assert.Equal((400, "BadRequest"), (status, (string?)body?["error"]?["code"]));
        var message = (string?)body!["error"]!["message"];
        Assert.StartsWith($"query position {position}: ", message, StringComparison.Ordinal);
        Assert.Contains(says, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_follow_continuation_tokens_and_respect_top()
    {
        var all = await fleet.QueryAllAsync("SELECT * FROM DIGITALTWINS", 3);
        Assert.Equal(QueryFleet.Twins, all.Select(QueryFleet.Render).ToArray());

        // A first page, then its token with no query (as the SDKs send it), then the same token with its query.
        var (status, first, _) = await Query("""{"query":"SELECT * FROM DIGITALTWINS"}""", 3);
        Assert.Equal(200, status);
        Assert.Equal(3, first!["value"]!.AsArray().Count);
        var token = (string)first["continuationToken"]!;
        var (_, second, _) = await Query(new JsonObject { ["continuationToken"] = token }.ToJsonString(), 3);
        var (_, again, _) = await Query(new JsonObject { ["query"] = "SELECT * FROM DIGITALTWINS", ["continuationToken"] = token }.ToJsonString(), 3);
        Assert.Equal(QueryFleet.Twins[3..6], second!["value"]!.AsArray().Select(r => QueryFleet.Render(r!.AsObject())).ToArray());
        Assert.Equal(second.ToJsonString(), again!.ToJsonString());

        // TOP(5) over pages of two stops at five, with no token after the last.
        var top = await fleet.QueryAllAsync("SELECT TOP(5) FROM DIGITALTWINS", 2);
        Assert.Equal(QueryFleet.Twins[..5], top.Select(QueryFleet.Render).ToArray());

        // Without max-items-per-page the whole small fleet is one page.
        var (_, whole, _) = await Query("""{"query":"SELECT * FROM DIGITALTWINS"}""", null);
        Assert.Equal(8, whole!["value"]!.AsArray().Count);
        Assert.Null((string?)whole["continuationToken"]);

        // A token is checked: altered, or sent with another query.
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        var (bad, refused, _) = await Query(new JsonObject { ["continuationToken"] = tampered }.ToJsonString(), 3);
        Assert.Equal((400, "BadRequest"), (bad, (string?)refused!["error"]!["code"]));
        Assert.Contains("continuationToken", (string?)refused["error"]!["message"], StringComparison.Ordinal);
        (bad, refused, _) = await Query(new JsonObject { ["query"] = "SELECT * FROM DIGITALTWINS T WHERE T.rank = 1", ["continuationToken"] = token }.ToJsonString(), 3);
        Assert.Equal(400, bad);
        Assert.Contains("another query", (string?)refused!["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_properties_are_returned_as_the_twin_has_them()
    {
        var (_, twin, _) = await fleet.Api.SendAsync(HttpMethod.Get, $"/digitaltwins/pump-1?{ApiVersion}");
        var rows = await fleet.QueryAllAsync("SELECT T.$dtId, T.$etag, T.$metadata.$model, T.$metadata FROM DIGITALTWINS T WHERE T.$dtId = 'pump-1'", 10);

        var row = Assert.Single(rows);
        Assert.Equal(["$dtId", "$etag", "$model", "$metadata"], row.Select(c => c.Key));
        Assert.Equal("pump-1", (string?)row["$dtId"]);
        Assert.Equal((string?)twin!["$etag"], (string?)row["$etag"]);
        Assert.Equal(QueryFleet.Pump, (string?)row["$model"]);
        Assert.Equal(QueryFleet.Pump, (string?)row["$metadata"]!["$model"]);
        Assert.True(DateTimeOffset.TryParse((string?)row["$metadata"]!["$lastUpdateTime"], System.Globalization.CultureInfo.InvariantCulture, out _),
            $"$metadata.$lastUpdateTime is a time: {row}");

        // SELECT * returns the twin as GET does.
        var star = Assert.Single(await fleet.QueryAllAsync("SELECT * FROM DIGITALTWINS T WHERE T.$dtId = 'pump-1'", 10));
        Assert.Equal(twin.ToJsonString(), star.ToJsonString());
    }

    [Theory]
    [InlineData("""{"query":"SELECT * FROM DIGITALTWINS""", 400, "InvalidArgument", "not valid JSON")]
    [InlineData("""["SELECT * FROM DIGITALTWINS"]""", 400, "InvalidArgument", "must be a JSON object")]
    [InlineData("""{"query":42}""", 400, "BadRequest", "query must be a string")]
    [InlineData("""{"continuationToken":7}""", 400, "BadRequest", "continuationToken must be a string")]
    [InlineData("""{"nothing":1}""", 400, "BadRequest", "query is required")]
    [InlineData("""{"query":"   "}""", 400, "BadRequest", "query is required")]
    public async Task A_bad_query_request_is_a_400_naming_the_field(string body, int status, string code, string says)
    {
        var (actual, answer, _) = await Query(body, null);

        Assert.Equal((status, code), (actual, (string?)answer?["error"]?["code"]));
        Assert.Contains(says, (string?)answer!["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_over_the_length_limit_or_a_bad_page_size_is_refused()
    {
        var tooLong = "SELECT * FROM DIGITALTWINS T WHERE T.name = '" + new string('x', 8_000) + "'";
        var (status, body, _) = await Query(new JsonObject { ["query"] = tooLong }.ToJsonString(), null);
        Assert.Equal(400, status);
        Assert.StartsWith("query position 1: the query is ", (string?)body!["error"]!["message"], StringComparison.Ordinal);

        foreach (var size in new[] { "0", "-1", "many", "10001" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/query?{ApiVersion}")
            {
                Content = new StringContent("""{"query":"SELECT * FROM DIGITALTWINS"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("max-items-per-page", size);
            using var response = await fleet.Api.Http.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode == 400 && text.Contains("max-items-per-page", StringComparison.Ordinal), $"max-items-per-page {size}: {(int)response.StatusCode} {text}");
        }
    }

    private Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> Query(string body, int? pageSize) =>
        fleet.Api.SendAsync(HttpMethod.Post, $"/query?{ApiVersion}", body,
            r =>
            {
                if (pageSize is { } size)
                {
                    r.Headers.Add("max-items-per-page", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            });
}
