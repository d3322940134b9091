using TwinCluster.Simulation.Telemetry;
using TwinCluster.Modeling;

namespace TwinCluster.Client.Tests;

/// <summary>A small wind-farm subtree, as the CLI reads it from the cluster, and the repository's models.</summary>
internal static class Fleet
{
    public const string Geometry = """{"balls":9,"ballDiameterMm":7.94,"pitchDiameterMm":39.04,"contactAngleDeg":0}""";

    public static readonly Lazy<ModelSet> Models = new(LoadModels);

    public static List<SimulatedTwin> Turbine(string prefix = "wt-01") =>
    [
        SimulatedTwin.FromProperties("farm-1", FleetSimulation.WindFarmModel, """{"name":"North"}"""),
        SimulatedTwin.FromProperties(prefix, FleetSimulation.TurbineModel, """{"name":"WT01","ratedPowerKW":3000}""", "farm-1"),
        SimulatedTwin.FromProperties($"{prefix}-mb", FleetSimulation.MainBearingModel,
            """{"balls":20,"ballDiameterMm":60,"pitchDiameterMm":600,"contactAngleDeg":10,"vibrationSampleRateHz":20000,"position":"single"}""", prefix),
        SimulatedTwin.FromProperties($"{prefix}-gbx", FleetSimulation.GearboxModel, """{"stages":3,"ratio":100}""", prefix),
        SimulatedTwin.FromProperties($"{prefix}-gen", FleetSimulation.GeneratorModel, """{"ratedPowerKW":3000}""", prefix),
        SimulatedTwin.FromProperties($"{prefix}-gen-de", FleetSimulation.BearingModel, Geometry, $"{prefix}-gen"),
        SimulatedTwin.FromProperties($"{prefix}-gen-nde", FleetSimulation.BearingModel, Geometry, $"{prefix}-gen"),
        SimulatedTwin.FromProperties($"{prefix}-blade-a", FleetSimulation.BladeModel, """{"position":1}""", prefix),
        SimulatedTwin.FromProperties($"{prefix}-tower", FleetSimulation.TowerModel, """{"heightM":100}""", prefix),
        SimulatedTwin.FromProperties($"{prefix}-hub", "dtmi:twincluster:windfarm:Component;1", "{}", prefix),
    ];

    private static ModelSet LoadModels()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TwinCluster.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var files = Directory.GetFiles(Path.Combine(directory.FullName, "models", "dtmi"), "*.json", SearchOption.AllDirectories);
        var result = new ModelParser().Parse(files.Select(f => new ModelSource(f, File.ReadAllText(f))));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Models!;
    }
}
