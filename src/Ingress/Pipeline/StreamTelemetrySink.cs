using Orleans.Runtime;
using Orleans.Streams;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>Publishes each twin's batch on its telemetry stream (<see cref="TelemetryStreams"/>).</summary>
public sealed class StreamTelemetrySink(IClusterClient client) : ITelemetrySink
{
    private readonly IStreamProvider _provider = client.GetStreamProvider(TelemetryStreams.Provider);

    /// <inheritdoc />
    public Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _provider.GetStream<TelemetryBatch>(StreamId.Create(TelemetryStreams.Namespace, batch.TwinId)).OnNextAsync(batch);
    }
}
