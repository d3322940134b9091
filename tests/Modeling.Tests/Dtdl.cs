namespace TwinCluster.Modeling.Tests;

/// <summary>Helpers to parse small documents written in the tests.</summary>
internal static class Dtdl
{
    public static ModelParseResult Parse(params string[] documents) =>
        new ModelParser().Parse(documents.Select((d, i) => new ModelSource($"doc{i}.json", d)));

    public static ModelSet Valid(params string[] documents)
    {
        var result = Parse(documents);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Models!;
    }

    /// <summary>Asserts the documents are rejected with an error of <paramref name="code"/> and returns it.</summary>
    public static ModelError Invalid(string code, params string[] documents)
    {
        var result = Parse(documents);
        Assert.False(result.IsValid, $"expected {code}, but the model set was accepted");
        Assert.Null(result.Models);
        var error = result.Errors.FirstOrDefault(e => e.Code == code);
        Assert.True(error is not null, $"expected {code}, got: {string.Join(" | ", result.Errors)}");
        return error!;
    }

    /// <summary>A v3 (or v2) interface with the given members after @type, e.g. "contents": [...].</summary>
    public static string Interface(string body, string id = "dtmi:test:Thing;1", int version = 3) =>
        $$"""{ "@context": "dtmi:dtdl:context;{{version}}", "@id": "{{id}}", "@type": "Interface"{{(body.Length > 0 ? ", " + body : string.Empty)}} }""";

    public static string Contents(string items, int version = 3, string id = "dtmi:test:Thing;1") => Interface($"\"contents\": [{items}]", id, version);
}
