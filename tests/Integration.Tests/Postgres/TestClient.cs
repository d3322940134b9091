using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TwinCluster.Client;

namespace TwinCluster.Integration.Tests.Postgres;

/// <summary>An external Orleans client that finds gateways through the ADO.NET membership table.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private TestClient(IHost host) => Host = host;

    public IHost Host { get; }

    public IClusterClient Client => Host.Services.GetRequiredService<IClusterClient>();

    public static async Task<TestClient> ConnectAsync(string connectionString, string clusterId, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.UseOrleansClient(client => client.UseTwinCluster(clusterId, TestSilo.ServiceId, connectionString, []));

        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TestClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(Timeout);
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
