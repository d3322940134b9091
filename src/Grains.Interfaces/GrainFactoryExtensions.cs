using TwinCluster.Wire;

namespace TwinCluster.Grains.Interfaces;

/// <summary>Typed access to the platform's grains.</summary>
public static class GrainFactoryExtensions
{
    /// <summary>The twin grain for an id.</summary>
    public static ITwinGrain GetTwin(this IGrainFactory factory, TwinId id) => factory.GetGrain<ITwinGrain>(id.Value);

    /// <summary>The model repository.</summary>
    public static IModelRepositoryGrain GetModelRepository(this IGrainFactory factory) =>
        factory.GetGrain<IModelRepositoryGrain>(0);

    /// <summary>A query coordinator (stateless worker: local to the calling silo).</summary>
    public static IQueryGrain GetQueries(this IGrainFactory factory) => factory.GetGrain<IQueryGrain>(0);

    /// <summary>An import worker (stateless worker).</summary>
    public static IImportGrain GetImporter(this IGrainFactory factory) => factory.GetGrain<IImportGrain>(0);
}
