using System.Diagnostics.Metrics;

namespace TwinCluster.Grains.Diagnostics;

/// <summary>The platform's own meters (meter name <see cref="MeterName"/>), exported next to Orleans' ones.</summary>
public sealed class TwinMetrics : IDisposable
{
    public const string MeterName = "TwinCluster";

    private readonly Meter _meter;
    private readonly Counter<long> _activations;
    private readonly Counter<long> _writes;
    private readonly Histogram<double> _queryLatency;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _healthReports;

    public TwinMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _activations = _meter.CreateCounter<long>("twincluster.twins.activated", description: "Twin grain activations");
        _writes = _meter.CreateCounter<long>("twincluster.twins.writes", description: "Acknowledged twin writes by operation");
        _queryLatency = _meter.CreateHistogram<double>("twincluster.query.duration", unit: "ms", description: "Query latency inside the cluster");
        _alerts = _meter.CreateCounter<long>("twincluster.alerts", description: "Alert changes by kind (raised, escalated, eased, acknowledged, cleared) and level");
        _healthReports = _meter.CreateCounter<long>("twincluster.health.reports", description: "Changed health a twin stored and reported, by status");
    }

    public void Activated() => _activations.Add(1);

    public void Wrote(string operation, int count = 1) => _writes.Add(count, new KeyValuePair<string, object?>("operation", operation));

    public void Queried(string kind, TimeSpan elapsed) =>
        _queryLatency.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind));

    public void Alert(Interfaces.TwinChangeKind kind, Interfaces.HealthStatus level) =>
        _alerts.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()), new KeyValuePair<string, object?>("level", level.ToString()));

    public void HealthReported(Interfaces.HealthStatus status) => _healthReports.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));

    public void Dispose() => _meter.Dispose();
}
