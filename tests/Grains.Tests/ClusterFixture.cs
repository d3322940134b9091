using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using TwinCluster.Grains;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Silo.Hosting;

namespace TwinCluster.Grains.Tests;

/// <summary>One two-silo in-process cluster for the whole collection, configured like the embedded default.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not started");

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddTwinMemoryStorage();
            silo.Services.AddTwinGrains();
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        var upload = await Client.GetModelRepository().Upload(TestModels.All);
        Assert.True(upload.Succeeded, "test models must upload: " + string.Join("; ", upload.Errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
