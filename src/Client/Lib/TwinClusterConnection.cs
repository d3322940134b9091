using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TwinCluster.Client;

/// <summary>A connected cluster client. Dispose to disconnect.</summary>
public sealed class TwinClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private TwinClusterConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
        Twins = new TwinClient(Client);
    }

    /// <summary>The Orleans client, for direct grain calls.</summary>
    public IClusterClient Client { get; }

    /// <summary>Typed helpers over the grain interfaces.</summary>
    public TwinClient Twins { get; }

    /// <summary>
    /// Connects, retrying until <see cref="TwinClientOptions.ConnectTimeout"/>; throws
    /// <see cref="TwinConnectionException"/> saying where it looked when no silo answers.
    /// </summary>
    public static async Task<TwinClusterConnection> ConnectAsync(TwinClientOptions options, CancellationToken cancellationToken = default)
    {
        var gateways = options.ConnectionString is null ? ParseGateways(options.Gateways) : [];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        var deadline = DateTime.UtcNow + options.ConnectTimeout;
        builder.UseOrleansClient(client =>
        {
            client.UseTwinCluster(options.ClusterId, options.ServiceId, options.ConnectionString, gateways, options.OrleansTls);
            client.AddActivityPropagation();
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                if (DateTime.UtcNow >= deadline)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                return true;
            });
        });
        if (options.OtlpEndpoint is { Length: > 0 } otlp)
        {
            builder.Services.AddOpenTelemetry()
                .WithMetrics(m => m.AddMeter("Microsoft.Orleans").AddOtlpExporter(o => o.Endpoint = new Uri(otlp)))
                .WithTracing(t => t.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            host.Dispose();
            var where = options.ConnectionString is null
                ? "gateways " + string.Join(", ", options.Gateways)
                : "the PostgreSQL membership table";
            throw new TwinConnectionException($"could not reach cluster '{options.ClusterId}' through {where} within {options.ConnectTimeout.TotalSeconds:0}s: {ex.Message}", ex);
        }

        return new TwinClusterConnection(host);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static List<IPEndPoint> ParseGateways(IEnumerable<string> gateways)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var gateway in gateways)
        {
            var colon = gateway.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(gateway[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"gateway '{gateway}' must be host:port", nameof(gateways));
            }

            var host = gateway[..colon];
            var address = host == "localhost"
                ? IPAddress.Loopback
                : IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host).FirstOrDefault()
                    ?? throw new ArgumentException($"gateway host '{host}' does not resolve", nameof(gateways));
            endpoints.Add(new IPEndPoint(address, port));
        }

        return endpoints;
    }
}
