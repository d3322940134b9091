using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TwinCluster.Client;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Hosting;

// The standalone ingress: a client of an external MQTT broker (shared subscription) and of the cluster. Run several
// for more throughput or availability; each needs its own TwinCluster:Ingress:Broker:ClientId.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var configuration = builder.Configuration;
var connectionString = configuration.GetConnectionString("TwinCluster");
var clusterId = configuration["TwinCluster:ClusterId"] ?? "twincluster";
var serviceId = configuration["TwinCluster:ServiceId"] ?? "twincluster";
if (string.IsNullOrWhiteSpace(configuration[$"{IngressServiceCollectionExtensions.Section}:Broker:Host"]))
{
    Console.Error.WriteLine("error: TwinCluster:Ingress:Broker:Host is required (env TwinCluster__Ingress__Broker__Host): the standalone ingress reads from an external MQTT broker.");
    return 2;
}

if (!int.TryParse(configuration["TwinCluster:StreamQueues"] ?? "8", out var queues) || queues is < 1 or > 256)
{
    Console.Error.WriteLine($"error: TwinCluster:StreamQueues '{configuration["TwinCluster:StreamQueues"]}' must be a whole number from 1 to 256 (the silos' value).");
    return 2;
}

builder.UseOrleansClient(client =>
{
    var gateways = connectionString is not null ? [] : (configuration["TwinCluster:Gateways"] ?? "127.0.0.1:30000")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(g => IPEndPoint.Parse(g));
    client.UseTwinCluster(clusterId, serviceId, connectionString, gateways);
    client.AddMemoryStreams(TelemetryStreams.Provider, b =>
    {
        b.ConfigurePartitioning(queues);
        b.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly);
    });
});

try
{
    builder.Services.AddTelemetryStores(connectionString, configuration);
    builder.Services.AddTwinIngress(configuration, allowEmbeddedBroker: false);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

await builder.Build().RunAsync();
return 0;
