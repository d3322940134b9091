using TwinCluster.Grains.Interfaces;
using TwinCluster.Modeling;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>A twin's model, as the ingress checks telemetry against it.</summary>
public sealed record TwinModel(string ModelId, InterfaceModel Model, ModelSet Models);

/// <summary>Tells the ingress whether a twin exists and what its model is.</summary>
public interface ITwinDirectory
{
    /// <summary>
    /// The twin's model, or null when the twin does not exist. Throws <see cref="TwinModelUnavailableException"/> when
    /// the twin exists but its model cannot be used (missing from the repository, or no longer parsing); any other
    /// exception means "try again".
    /// </summary>
    ValueTask<TwinModel?> FindAsync(TwinId twinId, CancellationToken cancellationToken);
}

/// <summary>The twin exists but its model cannot be used; its telemetry is dead-lettered, not retried.</summary>
public sealed class TwinModelUnavailableException(string message) : Exception(message);

/// <summary>Where reported properties (<c>twins/{id}/properties</c>) are written.</summary>
public interface IReportedPropertySink
{
    /// <summary>Writes the properties of a JSON object to the twin; returns why not, or null when written.</summary>
    Task<Wire.Rejection?> ApplyAsync(TwinId twinId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);
}

/// <summary>Where accepted telemetry goes live (the twins' streams).</summary>
public interface ITelemetrySink
{
    /// <summary>Delivers the records of one twin, in seq order.</summary>
    Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken);
}
