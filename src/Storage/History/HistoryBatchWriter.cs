using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History;

/// <summary>
/// The batching loop of the history write path (the silo's history writer runs it; so does the history benchmark):
/// rows and changes wait in a bounded channel; <see cref="RunAsync"/> takes up to <see cref="HistoryOptions.BatchSize"/>
/// rows, or what came within <see cref="HistoryOptions.FlushInterval"/>, and writes them to the
/// <see cref="IHistoryStore"/> in one batch. A failed batch is retried (kept, not dropped) until the store takes it or
/// the loop stops; when the channel is full new rows are dropped and counted rather than slowing the callers.
/// </summary>
public sealed class HistoryBatchWriter
{
    private readonly IHistoryStore _store;
    private readonly HistoryOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<HistoryRecord> _rows;
    private readonly Channel<HistoryChange> _changes;
    private long _queued;
    private long _written;
    private long _stored;
    private long _dropped;
    private long _failures;

    /// <summary>A writer into <paramref name="store"/>.</summary>
    public HistoryBatchWriter(IHistoryStore store, HistoryOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options;
        _logger = logger;
        _rows = Channel.CreateBounded<HistoryRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        _changes = Channel.CreateUnbounded<HistoryChange>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Rows and changes handed to the writer.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Rows and changes the store has taken (including rows it already had).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Rows the store newly stored.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Rows dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Batches that failed (and were retried).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Queues a row; false (and counted) when the queue is full.</summary>
    public bool Enqueue(HistoryRecord row)
    {
        if (_rows.Writer.TryWrite(row))
        {
            Interlocked.Increment(ref _queued);
            return true;
        }

        if (Interlocked.Increment(ref _dropped) % 10_000 == 1)
        {
            _logger.LogWarning("History writer queue is full ({Capacity} rows): {Dropped} rows dropped so far", _options.QueueCapacity, Dropped);
        }

        return false;
    }

    /// <summary>Queues a change (changes are few and never dropped).</summary>
    public void Enqueue(HistoryChange change)
    {
        Interlocked.Increment(ref _queued);
        _changes.Writer.TryWrite(change);
    }

    /// <summary>Waits until everything queued so far is written (or the deadline passes: false).</summary>
    public async Task<bool> WhenWrittenAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var target = Queued;
        var deadline = DateTime.UtcNow + timeout;
        while (Written < target)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(10, cancellationToken);
        }

        return true;
    }

    /// <summary>Writes batches until <paramref name="stoppingToken"/> is cancelled, then writes what is still queued, once.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _logger.LogInformation("{History}", _store.Description);
        var batch = new List<HistoryRecord>(_options.BatchSize);
        var changes = new List<HistoryChange>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitForWorkAsync(stoppingToken);
                using (var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    window.CancelAfter(_options.FlushInterval);
                    await FillAsync(batch, window.Token);
                }

                while (_changes.Reader.TryRead(out var change))
                {
                    changes.Add(change);
                }

                await WriteAsync(batch, changes, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what is queued still goes out, once.
        while (_rows.Reader.TryRead(out var row))
        {
            batch.Add(row);
        }

        while (_changes.Reader.TryRead(out var change))
        {
            changes.Add(change);
        }

        try
        {
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await WriteAsync(batch, changes, last.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning(ex, "History writer stopped with {Rows} rows and {Changes} changes unwritten", batch.Count, changes.Count);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        var rows = _rows.Reader.WaitToReadAsync(stoppingToken).AsTask();
        var changes = _changes.Reader.WaitToReadAsync(stoppingToken).AsTask();
        await Task.WhenAny(rows, changes);
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task FillAsync(List<HistoryRecord> batch, CancellationToken window)
    {
        try
        {
            while (batch.Count < _options.BatchSize)
            {
                while (batch.Count < _options.BatchSize && _rows.Reader.TryRead(out var row))
                {
                    batch.Add(row);
                }

                if (batch.Count >= _options.BatchSize || _changes.Reader.TryPeek(out _))
                {
                    return;
                }

                await _rows.Reader.WaitToReadAsync(window);
            }
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // The flush interval is up: write what there is.
        }
    }

    private async Task WriteAsync(List<HistoryRecord> batch, List<HistoryChange> changes, CancellationToken stoppingToken)
    {
        for (var attempt = 1; batch.Count + changes.Count > 0; attempt++)
        {
            try
            {
                if (changes.Count > 0)
                {
                    await _store.WriteChangesAsync(changes, stoppingToken);
                    Interlocked.Add(ref _written, changes.Count);
                    changes.Clear();
                }

                if (batch.Count > 0)
                {
                    var stored = await _store.WriteAsync(batch, stoppingToken);
                    Interlocked.Add(ref _stored, stored);
                    Interlocked.Add(ref _written, batch.Count);
                    batch.Clear();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                _logger.LogWarning(ex, "History batch of {Rows} rows and {Changes} changes failed (attempt {Attempt}); retrying", batch.Count, changes.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * attempt)), stoppingToken);
            }
        }
    }
}
