using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using TwinCluster.Grains.Interfaces.Settings;
using TwinCluster.Ingress.Mqtt;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Ingress.Storage;

namespace TwinCluster.Ingress.Hosting;

/// <summary>Registers the telemetry stores and the ingress in a host (a silo or a standalone ingress process).</summary>
public static class IngressServiceCollectionExtensions
{
    /// <summary>Configuration section of the ingress.</summary>
    public const string Section = "TwinCluster:Ingress";

    /// <summary>Configuration section of the embedded broker.</summary>
    public const string MqttSection = "TwinCluster:Mqtt";

    /// <summary>
    /// The telemetry log and dead-letter store: in PostgreSQL (tables of migration 0020) when
    /// <paramref name="connectionString"/> is set, otherwise bounded and in memory (not durable).
    /// </summary>
    public static IServiceCollection AddTelemetryStores(this IServiceCollection services, string? connectionString,
        Microsoft.Extensions.Configuration.IConfiguration? configuration = null)
    {
        if (connectionString is not null)
        {
            var retention = ReadRetention(configuration);
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton(retention);
            services.AddHostedService<RetentionService>();
            services.TryAddSingleton(_ => new TelemetryDataSource(NpgsqlDataSource.Create(connectionString)));
            services.TryAddSingleton<ITelemetryLog>(sp => new PostgresTelemetryLog(sp.GetRequiredService<TelemetryDataSource>().Source));
            services.TryAddSingleton<IDeadLetterStore>(sp => new PostgresDeadLetterStore(sp.GetRequiredService<TelemetryDataSource>().Source));
        }
        else
        {
            // One process holds the log, the streams and the twins, so a twin misses live records only when the
            // process dies, which takes this log with it: it serves reordering and catch-up, and a short history is
            // enough. 8,192 messages (about 64 MiB of 1,024-sample blocks) keeps the garbage collector's work small.
            services.TryAddSingleton<ITelemetryLog>(_ => new InMemoryTelemetryLog(maxPerTwin: 128, maxTotal: 8_192));
            services.TryAddSingleton<IDeadLetterStore>(_ => new InMemoryDeadLetterStore(capacity: 10_000));
        }

        return services;
    }

    private static RetentionSettings ReadRetention(IConfiguration? configuration)
    {
        TimeSpan Read(string key)
        {
            var text = configuration?[$"TwinCluster:Telemetry:{key}"];
            if (text is null)
            {
                return TimeSpan.FromDays(30);
            }

            return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.FromDays(1)
                ? value
                : throw new ArgumentException($"TwinCluster:Telemetry:{key} '{text}' must be a time span of at least one day, e.g. 30.00:00:00");
        }

        return new RetentionSettings(Read("Retention"), Read("DeadLetterRetention"));
    }

    /// <summary>
    /// The ingress: pipeline options from <c>TwinCluster:Ingress</c>; an external broker when
    /// <c>TwinCluster:Ingress:Broker:Host</c> is set, otherwise (when <paramref name="allowEmbeddedBroker"/>) the
    /// embedded broker from <c>TwinCluster:Mqtt</c>. <c>TwinCluster:Ingress:Enabled=false</c> turns it off. Register it
    /// after Orleans, so the cluster is up before the first message is taken. Needs <see cref="AddTelemetryStores"/>.
    /// <paramref name="embeddedDefault"/>: the embedded default mode, whose broker accepts anonymous clients on
    /// loopback unless <c>TwinCluster:Mqtt:RequireAuthentication</c> is true.
    /// </summary>
    public static IServiceCollection AddTwinIngress(this IServiceCollection services, IConfiguration configuration, bool allowEmbeddedBroker,
        bool embeddedDefault = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        if (!section.GetValue("Enabled", true))
        {
            return services;
        }

        // Read and checked now (the transports are chosen from them); only the broker in use is checked.
        var limits = section.GetSection("Limits");
        var pipeline = configuration.ReadTwinOptions<IngressPipelineOptions>(Section, o => TwinOptionsValidator<IngressPipelineOptions>.Throwing(o.Validate), o =>
        {
            if (limits.Exists())
            {
                // A fresh instance: binding into the shared IngressLimits.Default would change it for everyone.
                var bound = new Wire.IngressLimits();
                limits.Bind(bound);
                o.Limits = bound;
            }
        });
        var external = configuration.ReadTwinOptions<ExternalBrokerOptions>($"{Section}:Broker",
            o => o.IsConfigured ? TwinOptionsValidator<ExternalBrokerOptions>.Throwing(o.Validate) : []);
        var embedded = configuration.ReadTwinOptions<EmbeddedBrokerOptions>(MqttSection,
            o => external.IsConfigured ? [] : TwinOptionsValidator<EmbeddedBrokerOptions>.Throwing(o.Validate),
            o => o.AllowAnonymousOnLoopback = embeddedDefault);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(sp => new IngressMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(new IngressSettings(pipeline, external, external.IsConfigured ? null : allowEmbeddedBroker && embedded.Enabled ? embedded : null));
        services.AddSingleton<IngressService>();
        services.AddHostedService(sp => sp.GetRequiredService<IngressService>());
        return services;
    }
}

/// <summary>The settings the ingress runs with; <see cref="EmbeddedBroker"/> is null when no embedded broker runs.</summary>
public sealed record IngressSettings(IngressPipelineOptions Pipeline, ExternalBrokerOptions ExternalBroker, EmbeddedBrokerOptions? EmbeddedBroker);

/// <summary>The data source the telemetry stores share (owned by the container, disposed with it).</summary>
public sealed class TelemetryDataSource(NpgsqlDataSource source) : IDisposable
{
    /// <summary>The data source.</summary>
    public NpgsqlDataSource Source { get; } = source;

    /// <inheritdoc />
    public void Dispose() => Source.Dispose();
}
