using System.Text.Json;
using TwinCluster.Client.Modeling;

namespace TwinCluster.Modeling.Tests;

/// <summary>File-level tests of the logic behind <c>twin models validate</c>.</summary>
public sealed class ModelFileValidatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tc-models-").FullName;

    private const string Thermostat = """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Thermostat;1", "@type": "Interface",
          "contents": [ { "@type": "Telemetry", "name": "temp", "schema": "double" } ] }
        """;

    private const string Room = """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Room;1", "@type": "Interface",
          "extends": "dtmi:com:example:Space;1",
          "contents": [ { "@type": "Component", "name": "thermostat", "schema": "dtmi:com:example:Thermostat;1" } ] }
        """;

    private const string Space = """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Space;1", "@type": "Interface" }
        """;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Folder_forms_one_model_set()
    {
        Write("models/room.json", Room);
        Write("models/nested/thermostat.jsonld", Thermostat);
        Write("models/nested/space.JSON", Space);
        Write("models/readme.txt", "not a model");
        var results = new ModelFileValidator().Validate([Path.Combine(_root, "models")], each: false, resolveDir: null);
        var result = Assert.Single(results);
        Assert.True(result.Valid, string.Join(" | ", result.Errors));
        Assert.Equal(0, ModelFileValidator.ExitCode(results));
    }

    [Fact]
    public void Each_file_alone_needs_its_references()
    {
        var room = Write("models/room.json", Room);
        Write("models/thermostat.json", Thermostat);
        var results = new ModelFileValidator().Validate([Path.Combine(_root, "models")], each: true, resolveDir: null);
        Assert.Equal(2, results.Count);
        var roomResult = results.Single(r => r.File == room);
        Assert.False(roomResult.Valid);
        Assert.All(roomResult.Errors, e => Assert.Equal("reference.unresolved", e.Code));
        Assert.Equal(["$.extends", "$.contents[0].schema"], roomResult.Errors.Select(e => e.Path));
        Assert.True(results.Single(r => r.File != room).Valid);
        Assert.Equal(1, ModelFileValidator.ExitCode(results));
    }

    [Fact]
    public void Each_file_resolves_references_from_the_dtmi_folder()
    {
        var room = Write("models/room.json", Room);
        var repo = Path.Combine(_root, "repo");
        Write("repo/dtmi/com/example/thermostat-1.json", Thermostat);
        Write("repo/dtmi/com/example/space-1.json", Space);
        var result = Assert.Single(new ModelFileValidator().Validate([room], each: true, resolveDir: repo));
        Assert.True(result.Valid, string.Join(" | ", result.Errors));
    }

    [Fact]
    public void Errors_in_a_resolved_dependency_are_reported_with_their_file()
    {
        var room = Write("room.json", Room);
        var repo = Path.Combine(_root, "repo");
        Write("repo/dtmi/com/example/thermostat-1.json", Thermostat.Replace("\"temp\"", "\"bad name\"", StringComparison.Ordinal));
        Write("repo/dtmi/com/example/space-1.json", Space);
        var result = Assert.Single(new ModelFileValidator().Validate([room], each: true, resolveDir: repo));
        var error = Assert.Single(result.Errors);
        Assert.Equal("name.invalid", error.Code);
        Assert.EndsWith("thermostat-1.json", error.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_path_and_malformed_file_are_invalid()
    {
        var bad = Write("bad.json", "{ not json");
        var results = new ModelFileValidator().Validate([bad, Path.Combine(_root, "nothing-here")], each: true, resolveDir: null);
        Assert.Equal(2, results.Count);
        Assert.Contains(results, r => !r.Valid && r.Errors.Single().Code == "file.notFound");
        Assert.Contains(results, r => !r.Valid && r.File == bad && r.Errors.Single().Code == "json.malformed");
    }

    [Fact]
    public void Empty_folder_is_reported_not_silently_passed()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        var results = new ModelFileValidator().Validate([empty], each: false, resolveDir: null);
        Assert.Equal("file.none", Assert.Single(Assert.Single(results).Errors).Code);
        Assert.Equal(1, ModelFileValidator.ExitCode(results));
    }

    [Fact]
    public void Json_output_has_the_documented_shape()
    {
        var bad = Write("bad.json", """{ "@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:y;1", "@type": "Interface", "contents": [ { "@type": "Property", "name": "1a", "schema": "string" } ] }""");
        var good = Write("good.json", Space);
        var lines = ModelFileValidator.ToJsonLines(new ModelFileValidator().Validate([bad, good], each: true, resolveDir: null))
            .Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(bad, first.RootElement.GetProperty("file").GetString());
        Assert.False(first.RootElement.GetProperty("valid").GetBoolean());
        var error = first.RootElement.GetProperty("errors")[0];
        Assert.Equal("name.invalid", error.GetProperty("code").GetString());
        Assert.Equal("$.contents[0].name", error.GetProperty("path").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(error.TryGetProperty("source", out _));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.True(second.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(0, second.RootElement.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public void Ontology_folder_validates_as_one_set()
    {
        var dir = TestData.Dtdl(Path.Combine("ontologies", "smartcities-v2"));
        var result = Assert.Single(new ModelFileValidator().Validate([dir], each: false, resolveDir: null));
        Assert.True(result.Valid, string.Join(" | ", result.Errors.Take(5)));
    }
}
