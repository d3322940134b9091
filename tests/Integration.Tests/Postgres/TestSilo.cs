using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Storage;

namespace TwinCluster.Integration.Tests.Postgres;

/// <summary>A one-silo host on PostgreSQL: ADO.NET clustering, grain storage and reminders, short liveness timings.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    public const string StorageName = "notes";
    public const string DeletingStorageName = "notes-delete-on-clear";
    public const string ServiceId = "twincluster-tests";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private TestSilo(IHost host) => Host = host;

    public IHost Host { get; }

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync(string connectionString, string clusterId, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, FreeTcpPort.Next(), FreeTcpPort.Next());
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresDefaults.AdoInvariant;
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(StorageName, o =>
            {
                o.Invariant = PostgresDefaults.AdoInvariant;
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(DeletingStorageName, o =>
            {
                o.Invariant = PostgresDefaults.AdoInvariant;
                o.ConnectionString = connectionString;
                o.DeleteStateOnClear = true;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = PostgresDefaults.AdoInvariant;
                o.ConnectionString = connectionString;
            });
            // Short liveness timings so a test never waits on default failure detection.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
        });

        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TestSilo(host);
    }

    /// <summary>Graceful stop: the silo marks itself Dead in the membership table.</summary>
    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        try
        {
            await Host.StopAsync(deadline.Token);
        }
        finally
        {
            Host.Dispose();
        }
    }
}
