using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Hosting;

/// <summary>The parts of a twin silo that the silo host and the test clusters set up the same way.</summary>
public static class TwinSiloBuilderExtensions
{
    /// <summary>The default number of telemetry stream queues (every silo and publishing client of a cluster must agree).</summary>
    public const int DefaultStreamQueues = 8;

    /// <summary>
    /// The twins' streams, memory streams with implicit subscriptions only (no pub-sub store): telemetry, in
    /// <paramref name="queues"/> queues polled every 10 ms so a record waits little between ingress and twin (clients
    /// that publish need the same queue count), and the change stream of health and alert events.
    /// </summary>
    public static ISiloBuilder AddTwinTelemetryStreams(this ISiloBuilder silo, int queues = DefaultStreamQueues)
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
}
