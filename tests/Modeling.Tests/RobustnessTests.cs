namespace TwinCluster.Modeling.Tests;

/// <summary>Hostile input gives a clear error, never a crash or a hang.</summary>
public sealed class RobustnessTests
{
    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{ \"@context\": \"dtmi:dtdl:context;3\", }")]
    [InlineData("{ 'a': 1 }")]
    [InlineData("[1, 2")]
    [InlineData("null")]
    public void Malformed_json_is_an_error(string text)
    {
        var result = Dtdl.Parse(text);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Code is "json.malformed" or "document.type");
    }

    [Fact]
    public void Deeply_nested_json_is_an_error_not_a_stack_overflow()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);
        var error = Assert.Single(Dtdl.Parse(text).Errors);
        Assert.Equal("json.depth", error.Code);
    }

    [Fact]
    public void Oversized_source_is_an_error()
    {
        var parser = new ModelParser(new ModelParserOptions { MaxSourceLength = 1000 });
        var result = parser.Parse([new ModelSource("big.json", Dtdl.Interface($"\"comment\": \"{new string('x', 2000)}\""))]);
        Assert.Equal("json.size", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Long_extends_chain_across_documents_is_rejected_without_exhausting_the_stack()
    {
        const int n = 50_000;
        var docs = Enumerable.Range(0, n).Select(i => i < n - 1
            ? Dtdl.Interface($"\"extends\": \"dtmi:test:I{i + 1};1\"", $"dtmi:test:I{i};1")
            : Dtdl.Interface(string.Empty, $"dtmi:test:I{i};1"));
        var result = Dtdl.Parse("[" + string.Join(",", docs) + "]");
        Assert.Contains(result.Errors, e => e.Code == "extends.depth");
    }

    [Fact]
    public void Long_schema_reference_chain_is_rejected_without_exhausting_the_stack()
    {
        // Each interface holds one Array whose elements are the next interface's Array.
        const int n = 50_000;
        var docs = Enumerable.Range(0, n).Select(i => Dtdl.Interface(i < n - 1
            ? $$"""  "schemas": [ { "@id": "dtmi:test:s{{i}};1", "@type": "Array", "elementSchema": "dtmi:test:s{{i + 1}};1" } ]"""
            : $$"""  "schemas": [ { "@id": "dtmi:test:s{{i}};1", "@type": "Array", "elementSchema": "double" } ]""", $"dtmi:test:I{i};1"));
        var result = Dtdl.Parse("[" + string.Join(",", docs) + "]");
        Assert.Contains(result.Errors, e => e.Code == "schema.depth");
    }

    [Fact]
    public void Source_without_text_is_an_error()
    {
        var result = new ModelParser().Parse([new ModelSource("empty", null!)]);
        Assert.Equal("document.type", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void One_parser_serves_parallel_callers()
    {
        var parser = new ModelParser();
        var results = Enumerable.Range(0, 64).AsParallel().Select(i => parser.Parse([new ModelSource(
            $"doc{i}", Dtdl.Contents($$"""{ "@type": "Property", "name": "p{{i}}", "schema": "integer" }""", id: $"dtmi:test:T{i};1"))])).ToList();
        Assert.All(results, r => Assert.True(r.IsValid));
        Assert.Equal(64, results.Select(r => r.Models!.Interfaces.Keys.Single()).Distinct().Count());
    }

    [Fact]
    public void Error_count_is_capped()
    {
        var parser = new ModelParser(new ModelParserOptions { MaxErrors = 10 });
        var items = string.Join(",", Enumerable.Range(0, 500).Select(i => $$"""{ "@type": "Property", "name": "bad-{{i}}", "schema": "string" }"""));
        var result = parser.Parse([new ModelSource("many.json", Dtdl.Contents(items))]);
        Assert.Equal(10, result.Errors.Count);
    }
}
