using TwinCluster.Simulation.Import;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Simulation;

/// <summary>
/// The repository's example: the wind-farm models (<c>models/dtmi</c>) and the two-turbine farm
/// (<c>models/examples/small-farm.ndjson</c>), loaded into a cluster for the demo and the tests.
/// </summary>
public static class ExampleFarm
{
    /// <summary>The farm's root twin.</summary>
    public const string RootTwin = "farm-1";

    private const string FarmModel = "dtmi:twincluster:windfarm:WindFarm;1";

    /// <summary>
    /// Uploads the models unless they are there, and imports the farm unless <see cref="RootTwin"/> exists. Returns
    /// the import summary, or null when the farm was already there; throws when an upload or import line is refused.
    /// </summary>
    public static async Task<ImportSummary?> LoadAsync(IGrainFactory grains, string modelsRoot, CancellationToken cancellationToken)
    {
        await UploadModelsAsync(grains, modelsRoot);
        if (await grains.GetTwin(new TwinId(RootTwin)).Get() is not null)
        {
            return null;
        }

        using var reader = new StreamReader(Path.Combine(modelsRoot, "examples", "small-farm.ndjson"));
        var import = await new NdjsonImporter(grains).ImportAsync(reader, null, cancellationToken);
        return import.Succeeded
            ? import
            : throw new InvalidOperationException("the example farm did not import: " + string.Join("; ", import.Errors.Select(e => $"line {e.Line}: {e.Message}")));
    }

    /// <summary>Uploads the wind-farm models (<c>models/dtmi</c> under <paramref name="modelsRoot"/>) unless they are there.</summary>
    public static async Task UploadModelsAsync(IGrainFactory grains, string modelsRoot)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var models = grains.GetModelRepository();
        if (await models.Get(FarmModel) is not null)
        {
            return;
        }

        var folder = Path.Combine(modelsRoot, "dtmi");
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"no wind-farm models at {folder} (give the repository's models folder)");
        }

        var documents = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        var upload = await models.Upload([.. documents]);
        if (!upload.Succeeded)
        {
            throw new InvalidOperationException("the example models did not upload: " + string.Join("; ", upload.Errors.Select(e => e.Message)));
        }
    }
}
