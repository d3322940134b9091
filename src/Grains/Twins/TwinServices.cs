using Microsoft.Extensions.Options;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Health;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Models;
using TwinCluster.Grains.Telemetry;

namespace TwinCluster.Grains.Twins;

/// <summary>The silo-wide services and settings every twin uses, in one place (one per silo).</summary>
public sealed class TwinServices(
    IOptions<HealthOptions> health,
    IOptions<ConditionSettings> condition,
    IOptions<TelemetryOptions> telemetry,
    ITelemetryHistory history,
    TelemetryMetrics telemetryMetrics,
    ModelCache models,
    TwinRules rules,
    IndexRouter index,
    TwinMetrics metrics,
    History.ITwinHistorySink historySink,
    Commands.DeviceGateways gateways,
    TimeProvider time)
{
    public HealthOptions Health { get; } = health.Value;

    public ConditionSettings Condition { get; } = condition.Value;

    public TelemetryOptions Telemetry { get; } = telemetry.Value;

    public ITelemetryHistory History { get; } = history;

    public TelemetryMetrics TelemetryMetrics { get; } = telemetryMetrics;

    public ModelCache Models { get; } = models;

    public TwinRules Rules { get; } = rules;

    public IndexRouter Index { get; } = index;

    public TwinMetrics Metrics { get; } = metrics;

    /// <summary>Where analysed windows, telemetry records and stored changes go for the history (each call only queues).</summary>
    public History.ITwinHistorySink HistorySink { get; } = historySink;

    /// <summary>The relays to the devices' broker (commands and desired properties go down through them).</summary>
    public Commands.DeviceGateways Gateways { get; } = gateways;

    public TimeProvider Time { get; } = time;
}
