using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Telemetry;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// The telemetry side of a twin: an implicit subscriber of its telemetry stream. Records are applied in seq order,
/// each once (<see cref="TelemetrySequencer"/>); a gap is filled from the log at once, retried while it stays open,
/// and given up on after <see cref="TelemetryOptions.GapTimeout"/>. A checkpoint is written every
/// <see cref="TelemetryOptions.CheckpointInterval"/> while telemetry flows; after a crash the twin resumes from it
/// and catches up from the log, so nothing is lost or counted twice.
/// </summary>
[ImplicitStreamSubscription(TelemetryStreams.Namespace)]
public sealed partial class TwinGrain : IStreamSubscriptionObserver, IAsyncObserver<TelemetryBatch>
{
    private const int FillPage = 500;

    private readonly HashSet<long> _waitingFromLog = [];
    private long _lateCounted;
    private TelemetrySequencer? _sequencer;
    private IGrainTimer? _telemetryTimer;
    private LatencyRecorder _applyDelay = new();
    private LatencyRecorder _endToEndDelay = new();
    private bool _checkpointDirty;
    private DateTimeOffset _lastCheckpointAt;
    private DateTimeOffset _lastLiveAt;
    private DateTimeOffset? _gapSince;
    private bool _idleChecked = true;

    private TelemetryCheckpoint T => _telemetry.State;

    private TelemetrySequencer Sequencer => _sequencer ??= new TelemetrySequencer(T.LastSeq, _telemetryOptions.MaxPending);

    /// <inheritdoc />
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<TelemetryBatch>().ResumeAsync(this);
    }

    /// <inheritdoc />
    public async Task OnNextAsync(TelemetryBatch item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        await RefreshIfAbsent();
        if (!S.Exists)
        {
            // Deleted (or never created) after the ingress admitted the message: nothing to apply it to.
            _telemetryMetrics.Dropped(item.Records.Length);
            return;
        }

        var now = time.GetUtcNow();
        _lastLiveAt = now;
        _idleChecked = false;
        EnsureTelemetryTimer();
        await EnsureMonitor();
        if (T.LastSeq >= 0 && _sequencer is null)
        {
            // First batch since a (re)activation that had a checkpoint: what the log got since goes first.
            await CatchUpFromLog(CancellationToken.None);
        }

        var ready = new List<TelemetryRecord>(item.Records.Length);
        foreach (var record in item.Records)
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
            _checkpointDirty = true;
        }

        Apply(ready, now);
        if (Sequencer.Gap is not null)
        {
            await FillGap(CancellationToken.None);
        }

        await HealthAfterAnalysis();
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Twin {TwinId}: telemetry stream error", Id);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<TelemetryStatus> GetTelemetry()
    {
        await RefreshIfAbsent();
        if (!S.Exists)
        {
            throw TwinOperationException.TwinNotFound(Id);
        }

        await EnsureMonitor();
        if (_sequencer is null || time.GetUtcNow() - _lastLiveAt >= _telemetryOptions.IdleCatchUp)
        {
            // Freshly activated, or quiet for a while: what the log holds beyond the last applied seq was lost on the
            // way (a crashed silo's stream queue). While live records flow, the timer and the gap logic do this.
            await CatchUpFromLog(CancellationToken.None);
            await HealthAfterAnalysis();
        }

        return new TelemetryStatus
        {
            Applied = T.Applied,
            LastSeq = T.LastSeq,
            FilledFromLog = T.FilledFromLog,
            DuplicatesIgnored = T.DuplicatesIgnored,
            Skipped = T.Skipped,
            Refused = T.Refused,
            Condition = _monitor?.Condition?.Explain(),
            Health = _monitor?.Condition?.HealthIndex,
            Alert = _monitor?.Condition?.Alert.ToString(),
            AnalysisTime = System.Diagnostics.Stopwatch.GetElapsedTime(0, _analysisTicks),
            WindowsAnalysed = _monitor is null ? 0 : _monitor.WindowsAnalysed - _windowsAtActivation,
            Samples = T.Samples,
            LastAppliedAt = T.LastAppliedAt,
            Latest = T.Latest.ToImmutableDictionary(StringComparer.Ordinal),
            ApplyDelay = _applyDelay.Snapshot(),
            EndToEndDelay = _endToEndDelay.Snapshot(),
        };
    }

    /// <summary>Reads what the log holds beyond the last applied seq and applies it (after a crash, or when idle).</summary>
    private async Task CatchUpFromLog(CancellationToken cancellationToken)
    {
        var logged = await _history.LastSeqAsync(Id, cancellationToken);
        if (logged is not { } last || last <= Sequencer.LastApplied)
        {
            return;
        }

        await ApplyFromLog(Sequencer.LastApplied + 1, last, cancellationToken);
        if (Sequencer.Gap is not null)
        {
            await FillGap(cancellationToken);
        }
    }

    /// <summary>Fills the current gap from the log; gives up on what the log cannot supply once the gap is old enough.</summary>
    private async Task FillGap(CancellationToken cancellationToken)
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
        if (now - _gapSince.Value >= _telemetryOptions.GapTimeout)
        {
            logger.LogWarning("Twin {TwinId}: seq {From}..{To} never reached the log within {Timeout}; skipping them",
                Id, Sequencer.Gap?.From, Sequencer.Gap?.To, _telemetryOptions.GapTimeout);
            Apply(SkipGap(), now);
            _gapSince = Sequencer.Gap is null ? null : now;
        }
    }

    private List<TelemetryRecord> SkipGap()
    {
        var ready = new List<TelemetryRecord>();
        var skipped = Sequencer.SkipGap(ready);
        T.Skipped += skipped;
        _telemetryMetrics.Skipped(skipped);
        _checkpointDirty = true;
        return ready;
    }

    private async Task ApplyFromLog(long from, long to, CancellationToken cancellationToken)
    {
        while (from <= to)
        {
            var page = await _history.ReadAsync(Id, from, to, FillPage, cancellationToken);
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
                historySink.TelemetryApplied(Id, record);
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
                    record.Seq);
            }
        }

        T.LastSeq = Math.Max(T.LastSeq, Sequencer.LastApplied);
        T.LastAppliedAt = now;
        _checkpointDirty = true;
        _telemetryMetrics.Applied(live, fromLog: false);
        _telemetryMetrics.Applied(filled, fromLog: true);
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

    private void EnsureTelemetryTimer()
    {
        _telemetryTimer ??= this.RegisterGrainTimer(OnTelemetryTimer, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private async Task OnTelemetryTimer(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Sequencer.Gap is not null)
        {
            await FillGap(cancellationToken);
        }

        if (!_idleChecked && now - _lastLiveAt >= _telemetryOptions.IdleCatchUp)
        {
            // The tail of a burst may have been lost with a crashed silo's stream queue: the log has it.
            _idleChecked = true;
            await CatchUpFromLog(cancellationToken);
        }

        if (_checkpointDirty && now - _lastCheckpointAt >= _telemetryOptions.CheckpointInterval)
        {
            await WriteCheckpoint();
        }

        await HealthAfterAnalysis();
    }

    private async Task WriteCheckpoint()
    {
        if (!_checkpointDirty)
        {
            return;
        }

        try
        {
            if (_monitor is not null)
            {
                T.Condition = _monitor.Snapshot();
            }

            await _telemetry.WriteStateAsync();
            _checkpointDirty = false;
            _lastCheckpointAt = time.GetUtcNow();
        }
        catch (Exception ex)
        {
            // The next tick retries; meanwhile a crash replays from the previous checkpoint, which is safe.
            logger.LogWarning(ex, "Twin {TwinId}: telemetry checkpoint failed", Id);
        }
    }

    private async Task ForgetTelemetry()
    {
        await _telemetry.ClearStateAsync();
        _telemetry.State = new TelemetryCheckpoint();
        _sequencer = null;
        _waitingFromLog.Clear();
        _lateCounted = 0;
        _checkpointDirty = false;
        _applyDelay = new LatencyRecorder();
        _endToEndDelay = new LatencyRecorder();
        ForgetCondition();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Health first: the checkpoint holds the monitor's record of the alerts it reported.
        await FlushHealth();
        await WriteCheckpoint();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }
}
