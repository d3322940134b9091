using Microsoft.Extensions.Logging.Abstractions;
using TwinCluster.Grains.Telemetry;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Engines;

/// <summary>The telemetry intake as an object: ordering, gap fill and give-up, catch-up, counters, the checkpoint.</summary>
public sealed class TelemetryIntakeTests
{
    private const string Twin = "pump-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ManualClock _clock = new(T0);
    private readonly ListHistory _log = new();

    private static readonly TelemetryOptions Options = new()
    {
        GapTimeout = TimeSpan.FromSeconds(3),
        IdleCatchUp = TimeSpan.FromSeconds(5),
        CheckpointInterval = TimeSpan.FromSeconds(10),
    };

    private TelemetryIntake Create(TelemetryCheckpoint? checkpoint = null) =>
        new(Twin, checkpoint ?? new TelemetryCheckpoint(), _log, Options, TelemetryMetrics, _clock, NullLogger.Instance);

    [Fact]
    public async Task Records_in_order_are_applied_counted_and_remembered_as_the_latest_readings()
    {
        var intake = Create();
        _log.Records.AddRange([Record(1), Record(2)]);

        await intake.ReceiveAsync(Batch(Twin, 1, 2), _clock.GetUtcNow(), Ct);

        var status = intake.Status();
        Assert.Equal((2L, 2L, 0L, 0L), (status.Applied, status.LastSeq, status.FilledFromLog, status.Skipped));
        Assert.Equal(6, status.Samples);   // 1 scalar + 2 block samples per record
        Assert.Equal(2.0, status.Latest["temperature"].Value);
        Assert.Equal(3.5355, status.Latest["vibration"].Value, 4);   // the RMS of the block
        Assert.True(intake.CheckpointDirty);
        Assert.Equal(2, intake.TakeCheckpoint().LastSeq);
    }

    [Fact]
    public async Task A_gap_is_filled_from_the_log_at_once_and_a_repeat_is_counted_as_a_duplicate()
    {
        var intake = Create();
        _log.Records.AddRange([Record(1), Record(2), Record(3)]);
        await intake.ReceiveAsync(Batch(Twin, 1), _clock.GetUtcNow(), Ct);

        await intake.ReceiveAsync(Batch(Twin, 3, 3), _clock.GetUtcNow(), Ct);

        var status = intake.Status();
        Assert.Equal((3L, 3L, 1L, 1L), (status.Applied, status.LastSeq, status.FilledFromLog, status.DuplicatesIgnored));
    }

    [Fact]
    public async Task A_gap_the_log_cannot_fill_is_given_up_after_the_timeout_and_a_late_arrival_is_still_applied()
    {
        var intake = Create();
        _log.Records.AddRange([Record(1), Record(3)]);
        await intake.ReceiveAsync(Batch(Twin, 1, 3), _clock.GetUtcNow(), Ct);
        Assert.Equal(1, intake.Status().LastSeq);   // 3 waits for 2

        _clock.Advance(TimeSpan.FromSeconds(1));
        await intake.TickAsync(Ct);
        Assert.Equal(1, intake.Status().LastSeq);   // still within the gap timeout

        _clock.Advance(Options.GapTimeout);
        await intake.TickAsync(Ct);
        var skipped = intake.Status();
        Assert.Equal((3L, 1L, 2L), (skipped.LastSeq, skipped.Skipped, skipped.Applied));

        await intake.ReceiveAsync(Batch(Twin, 2), _clock.GetUtcNow(), Ct);
        var late = intake.Status();
        Assert.Equal((3L, 0L, 3L), (late.LastSeq, late.Skipped, late.Applied));
        Assert.Equal(3.0, late.Latest["temperature"].Value);   // the late record does not replace a newer reading
    }

    [Fact]
    public async Task After_a_restart_the_first_batch_waits_for_what_the_log_got_since_the_checkpoint()
    {
        var intake = Create(new TelemetryCheckpoint { LastSeq = 2, Applied = 2 });
        _log.Records.AddRange([Record(1), Record(2), Record(3), Record(4)]);

        await intake.ReceiveAsync(Batch(Twin, 5), _clock.GetUtcNow(), Ct);

        var status = intake.Status();
        Assert.Equal((5L, 5L, 2L), (status.LastSeq, status.Applied, status.FilledFromLog));
    }

    [Fact]
    public async Task A_quiet_twin_catches_up_once_and_a_read_asks_for_it_when_fresh_or_idle()
    {
        var intake = Create();
        Assert.True(intake.ShouldCatchUp(_clock.GetUtcNow()));
        await intake.ReceiveAsync(Batch(Twin, 1), _clock.GetUtcNow(), Ct);
        Assert.False(intake.ShouldCatchUp(_clock.GetUtcNow()));

        _log.Records.AddRange([Record(1), Record(2)]);   // 2 was lost on the way, the log has it
        _clock.Advance(Options.IdleCatchUp);
        Assert.True(intake.ShouldCatchUp(_clock.GetUtcNow()));
        await intake.TickAsync(Ct);
        Assert.Equal(2, intake.Status().LastSeq);

        var reads = _log.Reads;
        await intake.TickAsync(Ct);
        Assert.Equal(reads, _log.Reads);   // once per quiet spell
    }

    [Fact]
    public async Task The_checkpoint_is_due_after_the_interval_while_changed_and_a_reset_starts_afresh()
    {
        var intake = Create();
        Assert.False(intake.CheckpointDue(_clock.GetUtcNow()));
        await intake.ReceiveAsync(Batch(Twin, 1), _clock.GetUtcNow(), Ct);
        Assert.True(intake.CheckpointDue(_clock.GetUtcNow()));

        intake.Checkpointed(_clock.GetUtcNow());
        await intake.ReceiveAsync(Batch(Twin, 2), _clock.GetUtcNow(), Ct);
        Assert.False(intake.CheckpointDue(_clock.GetUtcNow()));
        _clock.Advance(Options.CheckpointInterval);
        Assert.True(intake.CheckpointDue(_clock.GetUtcNow()));

        intake.Reset(new TelemetryCheckpoint());
        Assert.False(intake.CheckpointDirty);
        await intake.ReceiveAsync(Batch(Twin, 1), _clock.GetUtcNow(), Ct);
        Assert.Equal((1L, 1L), (intake.Status().LastSeq, intake.Status().Applied));
    }

    [Fact]
    public async Task A_refused_seq_closes_a_gap_without_being_applied()
    {
        var intake = Create();
        await intake.ReceiveAsync(Batch(Twin, 1), _clock.GetUtcNow(), Ct);
        await intake.ReceiveAsync(new(Twin, [Interfaces.TelemetryRecord.RefusedMarker(2, T0.UtcDateTime), Record(3)]), _clock.GetUtcNow(), Ct);

        var status = intake.Status();
        Assert.Equal((3L, 2L, 1L), (status.LastSeq, status.Applied, status.Refused));
    }
}
