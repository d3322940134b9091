namespace TwinCluster.Modeling.Tests;

/// <summary>Every real ontology validates as one model set (no false rejections).</summary>
public sealed class OntologyTests
{
    public static TheoryData<string> Ontologies => ["building-v3", "building-v2", "energygrid-v2", "smartcities-v2"];

    internal static List<ModelSource> Load(string dir) => Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonld", StringComparison.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal)
        .Select(f => new ModelSource(Path.GetRelativePath(dir, f), File.ReadAllText(f)))
        .ToList();

    [Theory]
    [MemberData(nameof(Ontologies))]
    public void Ontology_validates_as_one_model_set(string name)
    {
        var dir = TestData.Dtdl(Path.Combine("ontologies", name));
        var sources = Load(dir);
        var result = new ModelParser().Parse(sources);
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: {sources.Count} files, {result.Errors.Count} errors, {result.Models?.Interfaces.Count} interfaces");
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors.Take(20)));
        Assert.True(result.Models!.Interfaces.Count >= sources.Count);
    }

    [Fact]
    public void Building_ontology_resolves_inheritance()
    {
        var dir = TestData.Dtdl(Path.Combine("ontologies", "building-v3"));
        var models = new ModelParser().Parse(Load(dir)).Models!;
        var withBases = models.Interfaces.Values.Where(i => i.Extends.Count > 0).ToList();
        Assert.NotEmpty(withBases);
        foreach (var model in withBases)
        {
            foreach (var baseId in model.AllBases)
            {
                Assert.True(models.IsSubtypeOf(model.Id, baseId));
                var baseModel = models.Find(baseId)!;
                Assert.All(baseModel.Contents.Keys, name => Assert.True(model.Contents.ContainsKey(name), $"{model.Id} lacks inherited {name}"));
            }
        }
    }
}
