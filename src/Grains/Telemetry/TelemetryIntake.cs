using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Diagnostics;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Telemetry;

/// <summary>
/// A twin's telemetry intake, without Orleans: records are applied in seq order, each once
/// (<see cref="TelemetrySequencer"/>); a gap is filled from the log at once, retried while it stays open, and given
/// up on after <see cref="TelemetryOptions.GapTimeout"/>; after a (re)activation or a quiet spell it catches up from
/// the log. It keeps the counters, the latest readings and the position in <see cref="Checkpoint"/>, and feeds every
/// record it applies in order to the component's <see cref="Monitor"/>. It reads the log itself; storing the
/// checkpoint is the grain's (<see cref="CheckpointDirty"/>, <see cref="CheckpointDue"/>, <see cref="TakeCheckpoint"/>).
/// </summary>
public sealed class TelemetryIntake(string twinId, TelemetryCheckpoint checkpoint, ITelemetryHistory history,
    TelemetryOptions options, TelemetryMetrics metrics, TimeProvider time, ILogger logger)
{
    private const int FillPage = 500;

    private readonly HashSet<long> _waitingFromLog = [];
    private long _lateCounted;
    private TelemetrySequencer? _sequencer;
    private LatencyRecorder _applyDelay = new();
    private LatencyRecorder _endToEndDelay = new();
    private DateTimeOffset _lastCheckpointAt;
    private DateTimeOffset _lastLiveAt;
    private DateTimeOffset? _gapSince;
    private bool _idleChecked = true;
    private bool _monitorFailed;
    private long _analysisTicks;
    private long _windowsAtActivation;

    /// <summary>Told of every record applied in order (the history keeps its scalar channels); only queues.</summary>
    public Action<TelemetryRecord>? Applied { get; set; }

    /// <summary>The position and counters to store.</summary>
    public TelemetryCheckpoint Checkpoint { get; private set; } = checkpoint;

    /// <summary>True when <see cref="Checkpoint"/> changed since it was last stored.</summary>
    public bool CheckpointDirty { get; private set; }

    /// <summary>The condition monitor of a monitored component, or null.</summary>
    public ComponentMonitor? Monitor { get; private set; }

    private TelemetryCheckpoint T => Checkpoint;

    private TelemetrySequencer Sequencer => _sequencer ??= new TelemetrySequencer(T.LastSeq, options.MaxPending);

    /// <summary>
    /// Takes a live batch that arrived at <paramref name="now"/>: what the log got since a (re)activation goes first,
    /// then the batch in seq order.
    /// </summary>
    public async Task ReceiveAsync(TelemetryBatch batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _lastLiveAt = now;
        _idleChecked = false;
        if (T.LastSeq >= 0 && _sequencer is null)
        {
            // First batch since a (re)activation that had a checkpoint: what the log got since goes first.
            await CatchUpFromLogAsync(cancellationToken);
        }

        var ready = new List<TelemetryRecord>(batch.Records.Length);
        foreach (var record in batch.Records)
        {
            if (record.Refused && record.Seq > Sequencer.HighestKnown + 1)
            {
                // A refused message may carry any seq: it may close a gap next to what is known, never open one
                // (a wild seq would otherwise make every later message look like a duplicate).
                continue;
            }

            if (Sequencer.Offer(record, ready) || record.Refused)
            {
                continue;
            }

            T.DuplicatesIgnored++;
            CheckpointDirty = true;
        }

        Apply(ready, now);
        if (Sequencer.Gap is not null)
        {
            await FillGapAsync(cancellationToken);
        }
    }

    /// <summary>
    /// True when a read should first catch up from the log: freshly activated, or quiet for a while (what the log
    /// holds beyond the last applied seq was lost on the way, e.g. with a crashed silo's stream queue).
    /// </summary>
    public bool ShouldCatchUp(DateTimeOffset now) => _sequencer is null || now - _lastLiveAt >= options.IdleCatchUp;

    /// <summary>The once-a-second work while telemetry flows: retry an open gap, catch up once after a quiet spell.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Sequencer.Gap is not null)
        {
            await FillGapAsync(cancellationToken);
        }

        if (!_idleChecked && now - _lastLiveAt >= options.IdleCatchUp)
        {
            // The tail of a burst may have been lost with a crashed silo's stream queue: the log has it.
            _idleChecked = true;
            await CatchUpFromLogAsync(cancellationToken);
        }
    }

    /// <summary>Reads what the log holds beyond the last applied seq and applies it (after a crash, or when idle).</summary>
    public async Task CatchUpFromLogAsync(CancellationToken cancellationToken)
    {
        var logged = await history.LastSeqAsync(twinId, cancellationToken);
        if (logged is not { } last || last <= Sequencer.LastApplied)
        {
            return;
        }

        await ApplyFromLog(Sequencer.LastApplied + 1, last, cancellationToken);
        if (Sequencer.Gap is not null)
        {
            await FillGapAsync(cancellationToken);
        }
    }

    /// <summary>True when the checkpoint changed and the last one is older than <see cref="TelemetryOptions.CheckpointInterval"/>.</summary>
    public bool CheckpointDue(DateTimeOffset now) => CheckpointDirty && now - _lastCheckpointAt >= options.CheckpointInterval;

    /// <summary>The checkpoint to store now, with the monitor's state in it.</summary>
    public TelemetryCheckpoint TakeCheckpoint()
    {
        if (Monitor is not null)
        {
            T.Condition = Monitor.Snapshot();
        }

        return T;
    }

    /// <summary>The checkpoint taken by <see cref="TakeCheckpoint"/> was stored.</summary>
    public void Checkpointed(DateTimeOffset now)
    {
        CheckpointDirty = false;
        _lastCheckpointAt = now;
    }

    /// <summary>Something outside the intake (the monitor's alert record) must go out with the next checkpoint.</summary>
    public void MarkDirty() => CheckpointDirty = true;

    /// <summary>Starts monitoring with <paramref name="monitor"/>, resumed from the checkpoint's condition.</summary>
    public void Attach(ComponentMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        if (T.Condition is { } condition)
        {
            monitor.Restore(condition);
        }

        Monitor = monitor;
        _monitorFailed = false;
        _windowsAtActivation = monitor.WindowsAnalysed;
    }

    /// <summary>
    /// Stops monitoring; the monitor's condition, alert state and health history stay in the checkpoint, so the next
    /// <see cref="Attach"/> carries them over (the sample buffers refill).
    /// </summary>
    public void Detach()
    {
        if (Monitor is not null)
        {
            T.Condition = Monitor.Snapshot();
            CheckpointDirty = true;
        }

        Monitor = null;
        _monitorFailed = false;
    }

    /// <summary>Starts afresh (the twin was deleted; one created again under its id may count from 1 again).</summary>
    public void Reset(TelemetryCheckpoint fresh)
    {
        Checkpoint = fresh ?? throw new ArgumentNullException(nameof(fresh));
        _sequencer = null;
        _waitingFromLog.Clear();
        _lateCounted = 0;
        CheckpointDirty = false;
        _applyDelay = new LatencyRecorder();
        _endToEndDelay = new LatencyRecorder();
        Monitor = null;
        _monitorFailed = false;
    }

    /// <summary>What the twin reports about its telemetry.</summary>
    public TelemetryStatus Status() => new()
    {
        Applied = T.Applied,
        LastSeq = T.LastSeq,
        FilledFromLog = T.FilledFromLog,
        DuplicatesIgnored = T.DuplicatesIgnored,
        Skipped = T.Skipped,
        Refused = T.Refused,
        Condition = Monitor?.Condition?.Explain(),
        Health = Monitor?.Condition?.HealthIndex,
        Alert = Monitor?.Condition?.Alert.ToString(),
        AnalysisTime = System.Diagnostics.Stopwatch.GetElapsedTime(0, _analysisTicks),
        WindowsAnalysed = Monitor is null ? 0 : Monitor.WindowsAnalysed - _windowsAtActivation,
        Samples = T.Samples,
        LastAppliedAt = T.LastAppliedAt,
        Latest = T.Latest.ToImmutableDictionary(StringComparer.Ordinal),
        ApplyDelay = _applyDelay.Snapshot(),
        EndToEndDelay = _endToEndDelay.Snapshot(),
    };

    /// <summary>Fills the current gap from the log; gives up on what the log cannot supply once the gap is old enough.</summary>
    private async Task FillGapAsync(CancellationToken cancellationToken)
    {
        if (Sequencer.Gap is not { } gap)
        {
            _gapSince = null;
            return;
        }

        await ApplyFromLog(gap.From, gap.To, cancellationToken);
        var now = time.GetUtcNow();
        if (Sequencer.Gap is null)
        {
            _gapSince = null;
            return;
        }

        if (Sequencer.LastApplied < 0)
        {
            // Nothing applied yet and the log has nothing lower: the stream starts at the first seq that came.
            Apply(SkipGap(), now);
            _gapSince = null;
            return;
        }

        _gapSince ??= now;
        if (now - _gapSince.Value >= options.GapTimeout)
        {
            logger.LogWarning("Twin {TwinId}: seq {From}..{To} never reached the log within {Timeout}; skipping them",
                twinId, Sequencer.Gap?.From, Sequencer.Gap?.To, options.GapTimeout);
            Apply(SkipGap(), now);
            _gapSince = Sequencer.Gap is null ? null : now;
        }
    }

    private List<TelemetryRecord> SkipGap()
    {
        var ready = new List<TelemetryRecord>();
        var skipped = Sequencer.SkipGap(ready);
        T.Skipped += skipped;
        metrics.Skipped(skipped);
        CheckpointDirty = true;
        return ready;
    }

    private async Task ApplyFromLog(long from, long to, CancellationToken cancellationToken)
    {
        while (from <= to)
        {
            var page = await history.ReadAsync(twinId, from, to, FillPage, cancellationToken);
            if (page.Count == 0)
            {
                return;
            }

            var ready = new List<TelemetryRecord>(page.Count);
            foreach (var record in page)
            {
                // Remembered, so the record counts as filled from the log even if it waits behind a gap first.
                _waitingFromLog.Add(record.Seq);
                if (!Sequencer.Offer(record, ready))
                {
                    _waitingFromLog.Remove(record.Seq);
                }
            }

            Apply(ready, time.GetUtcNow());
            from = page[^1].Seq + 1;
        }
    }

    private void Apply(List<TelemetryRecord> ready, DateTimeOffset now)
    {
        if (ready.Count == 0)
        {
            return;
        }

        var filled = 0;
        var live = 0;
        var highest = T.LastSeq;
        var late = Sequencer.LateArrivals - _lateCounted;
        if (late > 0)
        {
            // Seqs given up on that arrived after all: applied now, no longer skipped.
            T.Skipped -= late;
            _lateCounted = Sequencer.LateArrivals;
        }

        foreach (var record in ready)
        {
            var fromLog = _waitingFromLog.Remove(record.Seq);
            if (record.Refused)
            {
                // A dead letter's seq: moved past, not applied.
                T.Refused++;
                Sequencer.MarkSkipped(record.Seq);
                continue;
            }

            filled += fromLog ? 1 : 0;
            live += fromLog ? 0 : 1;
            if (record.Seq > highest)
            {
                // In order (a late arrival is counted, not analysed: its samples belong to the past).
                Analyse(record);
                Applied?.Invoke(record);
                highest = record.Seq;
            }

            T.Applied++;
            T.Samples += record.SampleCount;
            if (fromLog)
            {
                T.FilledFromLog++;
            }
            else
            {
                _applyDelay.Record((now.UtcDateTime - record.AcceptedAtUtc).TotalMilliseconds);
                _endToEndDelay.Record((now.UtcDateTime - record.TimestampUtc).TotalMilliseconds);
            }

            foreach (var channel in record.Channels)
            {
                if (T.Latest.TryGetValue(channel.Name, out var newer) && newer.Seq > record.Seq)
                {
                    continue;   // a late arrival: the latest reading stays the latest
                }

                T.Latest[channel.Name] = new TelemetryReading(
                    channel.Samples is { } samples ? Rms(samples) : channel.Value,
                    channel.Unit,
                    new DateTimeOffset(record.TimestampUtc, TimeSpan.Zero),
                    channel.Count,
                    record.Seq,
                    channel.Samples is { Length: > 1 } ? record.SampleRateHz : null);
            }
        }

        T.LastSeq = Math.Max(T.LastSeq, Sequencer.LastApplied);
        T.LastAppliedAt = now;
        CheckpointDirty = true;
        metrics.Applied(live, fromLog: false);
        metrics.Applied(filled, fromLog: true);
    }

    /// <summary>Feeds one applied record, in seq order, to the monitor; a failing analysis never stops telemetry.</summary>
    private void Analyse(TelemetryRecord record)
    {
        if (Monitor is null || _monitorFailed)
        {
            return;
        }

        var started = ThreadCpu.Now();
        try
        {
            Monitor.Offer(record);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            _monitorFailed = true;
            logger.LogError(ex, "Twin {TwinId}: condition analysis failed; monitoring stops until the twin is reactivated", twinId);
        }
        finally
        {
            _analysisTicks += ThreadCpu.Now() - started;
        }
    }

    private static double Rms(float[] samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return samples.Length == 0 ? 0 : Math.Sqrt(sum / samples.Length);
    }
}
