using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Dashboard;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TwinCluster.Grains;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Interfaces.Settings;
using TwinCluster.Storage;
using TwinCluster.Grains.Telemetry;
using TwinCluster.Hosting;
using TwinCluster.Ingress.Hosting;
using TwinCluster.Silo.Api;
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
        // Needed while the host is built (ports, mode): read and checked now, and bound for the services as well.
        var options = builder.Configuration.ReadTwinOptions<TwinSiloOptions>(TwinSiloOptions.Section, o => o.Problems());
        builder.Services.AddTwinOptions<TwinSiloOptions>(TwinSiloOptions.Section, o => o.Problems());
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
        // Plain HTTP for the probes, HTTPS for the API (TwinCluster:HttpsPort).
        builder.AddTwinApi(options, loopbackOnly: mode == SiloMode.Embedded);
        if (mode != SiloMode.Embedded)
        {
            builder.Services.AddSingleton<ITwinIndexStore>(new PostgresTwinIndexStore(connectionString!));
            if (options.MigrateOnStart)
            {
                // Registered before Orleans' own hosted service, so the schema exists before clustering starts.
                builder.Services.AddHostedService(sp => new MigrationService(connectionString!, sp.GetRequiredService<ILogger<MigrationService>>()));
            }

            // After the migration, so maintenance finds the history tables.
            builder.Services.AddPostgresHistory(connectionString!);
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
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        OrleansTls? orleansTls;
        try
        {
            orleansTls = OrleansTls.From(key => builder.Configuration[key]);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidConfigurationException(ex.Message);
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(c =>
            {
                c.ClusterId = options.ClusterId;
                c.ServiceId = options.ServiceId;
            });
            if (orleansTls is not null)
            {
                // Silo to silo and client to gateway over mutual TLS: only holders of the cluster CA's certificates get in.
                var validate = orleansTls.Validator();
                silo.UseTls(orleansTls.LoadCertificate(), tls =>
                {
                    tls.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
                    tls.RemoteCertificateValidation = (certificate, _, errors) => validate(certificate, errors);
                    tls.OnAuthenticateAsClient = (_, client) => client.TargetHost = OrleansTls.TargetHost;
                });
            }
            if (ExportsTraces(builder, options))
            {
                // With no trace exporter, the grain call filters would only look for a listener on every call (perf:
                // a few percent of an HTTPS point read); traces of grain calls matter only where they are exported.
                silo.AddActivityPropagation();
            }

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

                if (options.ActivationRebalancing)
                {
                    // Experimental in Orleans 10 (ORLEANSEXP002): without it a silo that joins a running cluster gets only
                    // the activations placed after it joined, and the old silos keep theirs.
#pragma warning disable ORLEANSEXP002
                    silo.AddActivationRebalancer();
#pragma warning restore ORLEANSEXP002
                    silo.Services.AddOptions<ActivationRebalancerOptions>().BindConfiguration($"{TwinSiloOptions.Section}:Rebalancing");
                }
            }

            if (options.Dashboard)
            {
                silo.AddDashboard();
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
        // Waits before any service stops (/readyz already answers 503 from ApplicationStopping, and the web server still
        // runs), so that load balancers stop sending work here before Orleans starts handing activations over.
        builder.Services.AddHostedService(sp => new ShutdownDelayService(options.ShutdownDelay, sp.GetRequiredService<ILogger<ShutdownDelayService>>()));
        return builder;
    }

    /// <summary>True when traces go somewhere: an OTLP endpoint or the console exporter is configured.</summary>
    private static bool ExportsTraces(WebApplicationBuilder builder, TwinSiloOptions options) =>
        !string.IsNullOrEmpty(options.OtlpEndpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || options.ConsoleTelemetry;

    private static void AddTwinTelemetry(this WebApplicationBuilder builder, TwinSiloOptions options)
    {
        var otlp = options.OtlpEndpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        const string hostingDiagnostics = "Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics";
        if (string.IsNullOrEmpty(otlp) && !options.ConsoleTelemetry && builder.Configuration[hostingDiagnostics] is null)
        {
            // With no trace exporter, the request log's category (its messages are below the Warning that
            // Microsoft.AspNetCore logs at) only makes the host open a log scope and an Activity per request that nobody
            // reads: about 2% of the silo's CPU per HTTPS read (perf). Setting the category explicitly keeps its logs.
            builder.Configuration[hostingDiagnostics] = "None";
        }

        if (string.IsNullOrEmpty(otlp) && !options.ConsoleTelemetry && !options.PrometheusMetrics)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                // System.Runtime: the runtime's own meter (process CPU time, working set, GC heap), built into .NET 9+.
                metrics.AddMeter("Microsoft.Orleans", TwinMetrics.MeterName, TwinCluster.Ingress.Pipeline.IngressMetrics.MeterName, "System.Runtime");
                metrics.AddNpgsqlInstrumentation();
                if (options.PrometheusMetrics)
                {
                    metrics.AddPrometheusExporter();
                }

                if (!string.IsNullOrEmpty(otlp))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }

                if (options.ConsoleTelemetry)
                {
                    metrics.AddConsoleExporter();
                }
            });
        if (string.IsNullOrEmpty(otlp) && !options.ConsoleTelemetry)
        {
            // Prometheus takes metrics only: with no trace exporter, a tracer would record an activity per grain call
            // (and per HTTP request) that nobody reads.
            return;
        }

        telemetry.WithTracing(tracing =>
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
