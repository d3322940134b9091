using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TwinCluster.Client;
using Npgsql;
using OpenTelemetry.Metrics;
using Orleans.Configuration;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Hosting;

// The standalone ingress: a client of an external MQTT broker (shared subscription) and of the cluster. Run several
// for more throughput or availability; each needs its own TwinCluster:Ingress:Broker:ClientId.
// A small web host beside it: /healthz, /readyz (connected to the broker and not draining) and /metrics (Prometheus) on
// TwinCluster:HttpPort; without that setting on a free loopback port, so local runs and tests never collide.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
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

TwinCluster.Grains.Interfaces.OrleansTls? orleansTls;
try
{
    orleansTls = TwinCluster.Grains.Interfaces.OrleansTls.From(key => configuration[key]);
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine($"error: invalid setting: {ex.Message}");
    return 2;
}

builder.UseOrleansClient(client =>
{
    var gateways = connectionString is not null ? [] : (configuration["TwinCluster:Gateways"] ?? "127.0.0.1:30000")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(g => IPEndPoint.Parse(g));
    client.UseTwinCluster(clusterId, serviceId, connectionString, gateways, orleansTls);
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
catch (OptionsValidationException ex)
{
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine($"error: {failure}");
    }

    return 2;
}

var httpPort = configuration["TwinCluster:HttpPort"];
if (httpPort is not null && (!int.TryParse(httpPort, out var port) || port is < 0 or > 65535))
{
    Console.Error.WriteLine($"error: TwinCluster:HttpPort '{httpPort}' must be a port number from 0 to 65535.");
    return 2;
}

builder.WebHost.UseUrls(httpPort is null ? "http://127.0.0.1:0" : $"http://0.0.0.0:{httpPort}");
builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(25));
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter("Microsoft.Orleans", TwinCluster.Ingress.Pipeline.IngressMetrics.MeterName, "System.Runtime")
    .AddNpgsqlInstrumentation()
    .AddPrometheusExporter());

var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok("alive"));
app.MapGet("/readyz", (IHostApplicationLifetime lifetime, IServiceProvider services) =>
    lifetime.ApplicationStopping.IsCancellationRequested ? Results.Problem("draining", statusCode: StatusCodes.Status503ServiceUnavailable)
    : services.GetService<IngressService>() is { IsConnected: true } ? Results.Ok(new { broker = "connected" })
    : Results.Problem("not connected to the MQTT broker", statusCode: StatusCodes.Status503ServiceUnavailable));
app.MapPrometheusScrapingEndpoint();
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation("Ingress: health and metrics on {Urls}", string.Join(", ", app.Urls)));
await app.RunAsync();
return 0;
