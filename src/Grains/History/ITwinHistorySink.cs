using TwinCluster.Analytics;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.History;

/// <summary>
/// What a twin tells the history, from inside its turn: each call only queues (never waits, never fails the twin);
/// the writer stores in batches in the background.
/// </summary>
public interface ITwinHistorySink
{
    /// <summary>A window of <paramref name="channel"/> was analysed; <paramref name="condition"/> is the component's condition after it.</summary>
    void WindowAnalysed(string twinId, string channel, AnalysisResult window, ComponentCondition condition);

    /// <summary>A telemetry record was applied in order (its scalar channels are kept).</summary>
    void TelemetryApplied(string twinId, TelemetryRecord record);

    /// <summary>A change of the twin was stored (<paramref name="before"/> null for a create, <paramref name="after"/> null for a delete).</summary>
    void TwinChanged(string twinId, string operation, TwinSnapshot? before, TwinSnapshot? after, DateTimeOffset at);
}
