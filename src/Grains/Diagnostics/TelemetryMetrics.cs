using System.Diagnostics.Metrics;

namespace TwinCluster.Grains.Diagnostics;

/// <summary>What the twins do with telemetry, on the <see cref="TwinMetrics.MeterName"/> meter.</summary>
public sealed class TelemetryMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _applied;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _dropped;

    public TelemetryMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(TwinMetrics.MeterName);
        _applied = _meter.CreateCounter<long>("twincluster.telemetry.applied", description: "Telemetry messages applied by twins, by source (live or log)");
        _skipped = _meter.CreateCounter<long>("twincluster.telemetry.skipped", description: "Sequence numbers twins gave up on (never logged)");
        _dropped = _meter.CreateCounter<long>("twincluster.telemetry.dropped", description: "Telemetry messages that reached a twin that does not exist");
    }

    public void Applied(int count, bool fromLog)
    {
        if (count > 0)
        {
            _applied.Add(count, new KeyValuePair<string, object?>("source", fromLog ? "log" : "live"));
        }
    }

    public void Skipped(long count)
    {
        if (count > 0)
        {
            _skipped.Add(count);
        }
    }

    public void Dropped(int count) => _dropped.Add(count);

    public void Dispose() => _meter.Dispose();
}
