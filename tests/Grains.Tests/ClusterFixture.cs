using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using TwinCluster.Grains;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Hosting;
using TwinCluster.Grains.Telemetry;
using TwinCluster.Ingress.Storage;

namespace TwinCluster.Grains.Tests;

/// <summary>One two-silo in-process cluster for the whole collection, configured like the embedded default.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not started");

    public IClusterClient Client => Cluster.Client;

    /// <summary>The telemetry log the twins fill gaps from (the ingress writes it in a real deployment).</summary>
    public InMemoryTelemetryLog TelemetryLog { get; } = new(maxPerTwin: 10_000, maxTotal: 1_000_000);

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureHost(host =>
        {
            // Short telemetry timings, so the gap and catch-up tests finish in about a second.
            host.Configuration["TwinCluster:Telemetry:GapTimeout"] = "00:00:01";
            host.Configuration["TwinCluster:Telemetry:IdleCatchUp"] = "00:00:01";
            host.Configuration["TwinCluster:Telemetry:CheckpointInterval"] = "00:00:01";
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddTwinMemoryStorage();
            silo.AddTwinTelemetryStreams();
            // One log for both silos, as PostgreSQL is for a real cluster.
            silo.Services.AddSingleton<ITelemetryLog>(TelemetryLog);
            silo.Services.AddSingleton<ITelemetryHistory, LogTelemetryHistory>();
            silo.Services.AddTwinGrains();
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        builder.ConfigureClient(client => client.AddMemoryStreams(TelemetryStreams.Provider, b =>
        {
            b.ConfigurePartitioning(TwinSiloBuilderExtensions.DefaultStreamQueues);
            b.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly);
        }));
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
