using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TwinCluster.Analytics;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Storage.History;

namespace TwinCluster.Grains.History;

/// <summary>
/// The history write path of the silo: twins hand rows to it from their turn (<see cref="ITwinHistorySink"/>), and a
/// background loop (<see cref="HistoryBatchWriter"/>) stores them in batches. A failed batch is retried, never dropped;
/// when the queue is full new rows are dropped and counted rather than slowing the twins.
/// </summary>
public sealed class HistoryWriter : BackgroundService, ITwinHistorySink
{
    private readonly HistoryBatchWriter _writer;

    /// <summary>A writer into <paramref name="store"/>.</summary>
    public HistoryWriter(IHistoryStore store, HistoryOptions options, ILogger<HistoryWriter> logger) =>
        _writer = new HistoryBatchWriter(store, options, logger);

    /// <summary>Rows and changes handed to the writer.</summary>
    public long Queued => _writer.Queued;

    /// <summary>Rows and changes the store has taken (including rows it already had).</summary>
    public long Written => _writer.Written;

    /// <summary>Rows the store newly stored.</summary>
    public long Stored => _writer.Stored;

    /// <summary>Rows dropped because the queue was full.</summary>
    public long Dropped => _writer.Dropped;

    /// <summary>Batches that failed (and were retried).</summary>
    public long Failures => _writer.Failures;

    /// <inheritdoc />
    public void WindowAnalysed(string twinId, string channel, AnalysisResult window, ComponentCondition condition) =>
        _writer.Enqueue(HistoryFeatures.FromWindow(twinId, channel, window, condition));

    /// <inheritdoc />
    public void TelemetryApplied(string twinId, TelemetryRecord record)
    {
        if (HistoryFeatures.FromTelemetry(twinId, record) is { } row)
        {
            _writer.Enqueue(row);
        }
    }

    /// <inheritdoc />
    public void TwinChanged(string twinId, string operation, TwinSnapshot? before, TwinSnapshot? after, DateTimeOffset at) =>
        _writer.Enqueue(new HistoryChange(twinId, at, operation, HistoryPrincipal.Current(), TwinStateJson.Write(before), TwinStateJson.Write(after)));

    /// <summary>Queues a row as a twin would (tests feed the real path through this).</summary>
    public bool Enqueue(HistoryRecord row) => _writer.Enqueue(row);

    /// <summary>Waits until everything queued so far is written (or the deadline passes: false).</summary>
    public Task<bool> WhenWrittenAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _writer.WhenWrittenAsync(timeout, cancellationToken);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _writer.RunAsync(stoppingToken);
}
