using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TwinCluster.Modeling;

namespace TwinCluster.Benchmarks;

/// <summary>
/// DTDL parsing and validation on one core: the 767-file Azure building ontology (v3) as one model set (target under 1 s),
/// a single typical interface (target under 1 ms), and a twin property document checked against its model.
/// The ontology comes from $TWINCLUSTER_DATA or ../shared/data next to the repository root.
/// </summary>
[MemoryDiagnoser]
public class ModelingBenchmarks
{
    private const string Gearbox = """
        {
          "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"],
          "@id": "dtmi:twincluster:wind:Gearbox;1",
          "@type": "Interface",
          "displayName": { "en": "Gearbox", "de": "Getriebe" },
          "description": "Main gearbox of a wind turbine drive train.",
          "schemas": [
            { "@id": "dtmi:twincluster:wind:Gearbox:health;1", "@type": "Enum", "valueSchema": "string",
              "enumValues": [ { "name": "good", "enumValue": "good" }, { "name": "warning", "enumValue": "warning" },
                              { "name": "alarm", "enumValue": "alarm" } ] }
          ],
          "contents": [
            { "@type": ["Telemetry", "Temperature"], "name": "oilTemperature", "schema": "double", "unit": "degreeCelsius" },
            { "@type": ["Telemetry", "Temperature"], "name": "bearingTemperature", "schema": "double", "unit": "degreeCelsius" },
            { "@type": ["Telemetry", "AngularVelocity"], "name": "shaftSpeed", "schema": "double", "unit": "revolutionPerMinute" },
            { "@type": "Telemetry", "name": "vibration", "schema": { "@type": "Array", "elementSchema": "float" } },
            { "@type": "Property", "name": "serialNumber", "schema": "string" },
            { "@type": "Property", "name": "ratio", "schema": "double" },
            { "@type": "Property", "name": "health", "schema": "dtmi:twincluster:wind:Gearbox:health;1" },
            { "@type": ["Property", "Temperature"], "name": "oilAlarmLimit", "schema": "double", "unit": "degreeCelsius", "writable": true },
            { "@type": "Property", "name": "bearings", "writable": true, "schema": { "@type": "Map",
                "mapKey": { "name": "position", "schema": "string" },
                "mapValue": { "name": "bearing", "schema": { "@type": "Object", "fields": [
                  { "name": "model", "schema": "string" }, { "name": "balls", "schema": "integer" },
                  { "name": "pitchDiameter", "schema": "double" }, { "name": "ballDiameter", "schema": "double" } ] } } } },
            { "@type": "Command", "name": "runSelfTest",
              "request": { "name": "duration", "schema": "duration" },
              "response": { "name": "passed", "schema": "boolean" } },
            { "@type": "Relationship", "name": "drives", "target": "dtmi:twincluster:wind:Generator;1", "maxMultiplicity": 1 },
            { "@type": "Relationship", "name": "monitoredBy", "properties": [ { "@type": "Property", "name": "since", "schema": "dateTime" } ] }
          ]
        }
        """;

    private const string Twin = """
        { "serialNumber": "GB-4711", "ratio": 97.3, "health": "good", "oilAlarmLimit": 85,
          "bearings": { "hss": { "model": "SKF 6205", "balls": 9, "pitchDiameter": 1.537, "ballDiameter": 0.3126 },
                        "ims": { "model": "SKF 6203", "balls": 8, "pitchDiameter": 1.122, "ballDiameter": 0.2656 } } }
        """;

    private readonly ModelParser _parser = new();
    private List<ModelSource> _building = [];
    private ModelSource[] _single = [];
    private ModelSet _models = ModelSet.Empty;
    private InterfaceModel _gearbox = null!;
    private JsonElement _twin;

    [GlobalSetup]
    public void Setup()
    {
        var dir = Path.Combine(DataRoot(), "dtdl", "ontologies", "building-v3");
        _building = [.. Directory.EnumerateFiles(dir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => new ModelSource(Path.GetRelativePath(dir, f), File.ReadAllText(f)))];
        var building = _parser.Parse(_building);
        if (!building.IsValid || _building.Count != 767)
        {
            throw new InvalidOperationException($"Expected 767 valid building-v3 files, got {_building.Count} with {building.Errors.Count} errors.");
        }

        _single = [new ModelSource("gearbox.json", Gearbox)];
        var single = _parser.Parse(_single);
        _models = single.Models ?? throw new InvalidOperationException(string.Join(" | ", single.Errors));
        _gearbox = _models.Find("dtmi:twincluster:wind:Gearbox;1")!;
        _twin = JsonDocument.Parse(Twin).RootElement;
        if (TwinValidator.ValidateProperties(_gearbox, _models, _twin).Count != 0)
        {
            throw new InvalidOperationException("The benchmark twin does not validate.");
        }

        Console.WriteLine($"// building-v3: {_building.Count} files, {building.Models!.Interfaces.Count} interfaces");
    }

    [Benchmark(Description = "Building ontology v3, 767 files, one model set")]
    public int ParseBuildingOntology() => _parser.Parse(_building).Models!.Interfaces.Count;

    [Benchmark(Description = "Single typical interface (12 contents)")]
    public int ParseSingleInterface() => _parser.Parse(_single).Models!.Interfaces.Count;

    [Benchmark(Description = "Twin properties against the interface")]
    public int ValidateTwinProperties() => TwinValidator.ValidateProperties(_gearbox, _models, _twin).Count;

    private static string DataRoot()
    {
        var env = Environment.GetEnvironmentVariable("TWINCLUSTER_DATA");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TwinCluster.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                }
            }
        }

        throw new DirectoryNotFoundException("Set TWINCLUSTER_DATA to the shared data folder (with dtdl/ontologies/building-v3).");
    }
}
