using System.Diagnostics.Metrics;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>
/// The ingress's meters (meter <c>TwinCluster.Ingress</c>) and the same counts as plain numbers for the CLI and tests.
/// </summary>
public sealed class IngressMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "TwinCluster.Ingress";

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _appendDuration;
    private readonly Histogram<long> _batchSize;
    private long _receivedCount;
    private long _acceptedCount;
    private long _duplicateCount;
    private long _rejectedCount;
    private long _publishRetries;

    /// <summary>Creates the instruments.</summary>
    public IngressMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _received = _meter.CreateCounter<long>("twincluster.ingress.received", description: "MQTT publishes taken by the ingress");
        _accepted = _meter.CreateCounter<long>("twincluster.ingress.accepted", description: "Messages logged and handed to twins");
        _deadLettered = _meter.CreateCounter<long>("twincluster.ingress.dead_lettered", description: "Messages refused, by reason");
        _appendDuration = _meter.CreateHistogram<double>("twincluster.ingress.append.duration", unit: "ms", description: "Telemetry log append per batch");
        _batchSize = _meter.CreateHistogram<long>("twincluster.ingress.batch.size", description: "Messages per ingress batch");
    }

    /// <summary>Messages taken.</summary>
    public long Received => Interlocked.Read(ref _receivedCount);

    /// <summary>Messages logged and handed on.</summary>
    public long Accepted => Interlocked.Read(ref _acceptedCount);

    /// <summary>Messages whose (twin, seq) was logged before.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicateCount);

    /// <summary>Messages refused for any other reason.</summary>
    public long Rejected => Interlocked.Read(ref _rejectedCount);

    /// <summary>Stream publishes that failed and were retried.</summary>
    public long PublishRetries => Interlocked.Read(ref _publishRetries);

    internal void Batch(int size, TimeSpan append)
    {
        _received.Add(size);
        Interlocked.Add(ref _receivedCount, size);
        _batchSize.Record(size);
        _appendDuration.Record(append.TotalMilliseconds);
    }

    internal void Accept(int count)
    {
        _accepted.Add(count);
        Interlocked.Add(ref _acceptedCount, count);
    }

    internal void DeadLetter(DeadLetterReason reason)
    {
        _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason.ToCode()));
        if (reason == DeadLetterReason.DuplicateSeq)
        {
            Interlocked.Increment(ref _duplicateCount);
        }
        else
        {
            Interlocked.Increment(ref _rejectedCount);
        }
    }

    internal void PublishRetried() => Interlocked.Increment(ref _publishRetries);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
