using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TwinCluster.Grains;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Storage;
using TwinCluster.Grains.Telemetry;
using TwinCluster.Ingress.Hosting;
using TwinCluster.Silo.Security;

namespace TwinCluster.Silo.Hosting;

/// <summary>Configures the TwinCluster silo from configuration: embedded default, PostgreSQL mode, Kubernetes.</summary>
public static class TwinSiloHostingExtensions
{
    /// <summary>
    /// Reads and validates settings (a wrong one stops start-up with a message naming it), then sets up Orleans for
    /// the mode the settings imply, OpenTelemetry and the health endpoints.
    /// </summary>
    public static WebApplicationBuilder AddTwinSilo(this WebApplicationBuilder builder)
    {
        var options = SettingsValidator.Read(builder.Configuration);
        var connectionString = builder.Configuration.GetConnectionString(TwinSiloOptions.ConnectionStringName);
        var mode = SiloMode.Embedded;
        if (connectionString is not null)
        {
            try
            {
                PostgresConnection.Validate(connectionString);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidConfigurationException(ex.Message);
            }

            mode = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 } ? SiloMode.Kubernetes : SiloMode.Postgres;
        }

        builder.Services.AddSingleton(new SiloDescription(mode, options));
        builder.WebHost.UseUrls($"http://{(mode == SiloMode.Embedded ? "127.0.0.1" : "0.0.0.0")}:{options.HttpPort}");
        if (mode != SiloMode.Embedded)
        {
            builder.Services.AddSingleton<ITwinIndexStore>(new PostgresTwinIndexStore(connectionString!));
            if (options.MigrateOnStart)
            {
                // Registered before Orleans' own hosted service, so the schema exists before clustering starts.
                builder.Services.AddHostedService(sp => new MigrationService(connectionString!, sp.GetRequiredService<ILogger<MigrationService>>()));
            }
        }

        try
        {
            builder.Services.AddTelemetryStores(mode == SiloMode.Embedded ? null : connectionString, builder.Configuration);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidConfigurationException(ex.Message);
        }

        builder.Services.AddSingleton<ITelemetryHistory, LogTelemetryHistory>();
        // Each storage write is a connection in PostgreSQL mode: stay well inside the server's 100 by default.
        builder.Services.AddTwinGrains(defaultImportWrites: mode == SiloMode.Embedded ? 0 : 32);
        builder.Services.AddHostedService<StartupReport>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(c =>
            {
                c.ClusterId = options.ClusterId;
                c.ServiceId = options.ServiceId;
            });
            silo.AddActivityPropagation();
            silo.AddTwinTelemetryStreams(options.StreamQueues);
            // Failure-detection timings (ProbeTimeout, NumMissedProbesLimit, ...) can be tuned under TwinCluster:Membership.
            silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration($"{TwinSiloOptions.Section}:Membership");
            if (mode == SiloMode.Embedded)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddTwinMemoryStorage();
            }
            else
            {
                var address = options.AdvertisedAddress is { Length: > 0 } a ? IPAddress.Parse(a) : IPAddress.Loopback;
                silo.ConfigureEndpoints(address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresDefaults.Invariant;
                    o.ConnectionString = connectionString;
                });
                foreach (var name in new[] { StorageNames.Twins, StorageNames.Models })
                {
                    silo.AddAdoNetGrainStorage(name, (OptionsBuilder<AdoNetGrainStorageOptions> b) => b.Configure<Serializer>((o, serializer) =>
                    {
                        o.Invariant = PostgresDefaults.Invariant;
                        o.ConnectionString = connectionString;
                        o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                    }));
                }

                silo.UseAdoNetReminderService(o =>
                {
                    o.Invariant = PostgresDefaults.Invariant;
                    o.ConnectionString = connectionString;
                });
                if (mode == SiloMode.Kubernetes)
                {
                    silo.UseKubernetesHosting();
                }
            }
        });
        // After Orleans: the ingress starts taking messages once the silo is up. The embedded broker runs by default
        // only in the embedded mode; elsewhere TwinCluster:Mqtt:Enabled=true asks for it.
        if (mode != SiloMode.Embedded && builder.Configuration[$"{IngressServiceCollectionExtensions.MqttSection}:Enabled"] is null)
        {
            builder.Configuration[$"{IngressServiceCollectionExtensions.MqttSection}:Enabled"] = "false";
        }

        builder.AddTwinSecurity(mode, connectionString);
        try
        {
            builder.Services.AddTwinIngress(builder.Configuration, allowEmbeddedBroker: true, embeddedDefault: mode == SiloMode.Embedded);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidConfigurationException(ex.Message);
        }

        builder.AddTwinTelemetry(options);
        return builder;
    }

    /// <summary>
    /// The twins' streams, memory streams with implicit subscriptions only (no pub-sub store): telemetry, in
    /// <paramref name="queues"/> queues polled every 10 ms so a record waits little between ingress and twin (clients
    /// that publish need the same queue count), and the change stream of health and alert events.
    /// </summary>
    public static ISiloBuilder AddTwinTelemetryStreams(this ISiloBuilder silo, int queues = TwinSiloOptions.DefaultStreamQueues)
    {
        silo.AddMemoryStreams(TelemetryStreams.Provider, b =>
        {
            b.ConfigurePartitioning(queues);
            b.ConfigurePullingAgent(o => o.Configure(a =>
            {
                a.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10);
                a.BatchContainerBatchSize = 32;
            }));
            b.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly);
            // The queue cache keeps delivered events for rewinding, by default for minutes: at 10,000 blocks a
            // second that is gigabytes. Twins rewind from the telemetry log instead, so keep seconds.
            b.ConfigureCacheEviction(o => o.Configure(e =>
            {
                e.DataMinTimeInCache = TimeSpan.FromSeconds(2);
                e.DataMaxAgeInCache = TimeSpan.FromSeconds(10);
            }));
        });
        // The change stream: health and alert events, few and small. One queue, so the feed sees them in order.
        silo.AddMemoryStreams(ChangeStreams.Provider, b =>
        {
            b.ConfigurePartitioning(1);
            b.ConfigurePullingAgent(o => o.Configure(a => a.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20)));
            b.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly);
            b.ConfigureCacheEviction(o => o.Configure(e =>
            {
                e.DataMinTimeInCache = TimeSpan.FromSeconds(2);
                e.DataMaxAgeInCache = TimeSpan.FromSeconds(10);
            }));
        });
        return silo;
    }

    /// <summary>
    /// The in-memory storage of the embedded default and of test clusters. State is stored with Orleans' binary
    /// serializer (versioned by the [Id]s of the state classes) rather than the default JSON one, several times cheaper.
    /// </summary>
    public static ISiloBuilder AddTwinMemoryStorage(this ISiloBuilder silo)
    {
        foreach (var name in new[] { StorageNames.Twins, StorageNames.Models })
        {
            silo.AddMemoryGrainStorage(name, (OptionsBuilder<MemoryGrainStorageOptions> b) =>
                b.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
        }

        return silo.UseInMemoryReminderService();
    }

    private static void AddTwinTelemetry(this WebApplicationBuilder builder, TwinSiloOptions options)
    {
        var otlp = options.OtlpEndpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrEmpty(otlp) && !options.ConsoleTelemetry)
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("Microsoft.Orleans", TwinMetrics.MeterName, TwinCluster.Ingress.Pipeline.IngressMetrics.MeterName);
                if (!string.IsNullOrEmpty(otlp))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }

                if (options.ConsoleTelemetry)
                {
                    metrics.AddConsoleExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                if (!string.IsNullOrEmpty(otlp))
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }

                if (options.ConsoleTelemetry)
                {
                    tracing.AddConsoleExporter();
                }
            });
    }
}
