using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Telemetry;

namespace TwinCluster.Grains.Tests;

public sealed class TelemetrySequencerTests
{
    [Fact]
    public void In_order_records_are_released_at_once()
    {
        var sequencer = new TelemetrySequencer(lastApplied: 0);
        var ready = new List<TelemetryRecord>();
        Assert.True(sequencer.Offer(R(1), ready));
        Assert.True(sequencer.Offer(R(2), ready));
        Assert.Equal([1L, 2L], ready.Select(r => r.Seq));
        Assert.Equal(2, sequencer.LastApplied);
        Assert.Null(sequencer.Gap);
    }

    [Fact]
    public void A_record_after_a_gap_waits_until_the_gap_is_filled()
    {
        var sequencer = new TelemetrySequencer(lastApplied: 2);
        var ready = new List<TelemetryRecord>();
        sequencer.Offer(R(5), ready);
        Assert.Empty(ready);
        Assert.Equal((3L, 4L), sequencer.Gap);

        sequencer.Offer(R(4), ready);
        Assert.Empty(ready);
        Assert.Equal((3L, 3L), sequencer.Gap);

        sequencer.Offer(R(3), ready);
        Assert.Equal([3L, 4L, 5L], ready.Select(r => r.Seq));
        Assert.Null(sequencer.Gap);
        Assert.Equal(0, sequencer.PendingCount);
    }

    [Fact]
    public void Applied_and_waiting_seqs_are_duplicates()
    {
        var sequencer = new TelemetrySequencer(lastApplied: 3);
        var ready = new List<TelemetryRecord>();
        Assert.False(sequencer.Offer(R(3), ready));
        Assert.False(sequencer.Offer(R(1), ready));
        Assert.True(sequencer.Offer(R(6), ready));
        Assert.False(sequencer.Offer(R(6), ready));
        Assert.Empty(ready);
    }

    [Fact]
    public void Skipping_a_gap_releases_what_waits_and_counts_the_missing()
    {
        var sequencer = new TelemetrySequencer(lastApplied: 2);
        var ready = new List<TelemetryRecord>();
        sequencer.Offer(R(6), ready);
        sequencer.Offer(R(7), ready);
        sequencer.Offer(R(9), ready);

        Assert.Equal(3, sequencer.SkipGap(ready));   // 3, 4, 5
        Assert.Equal([6L, 7L], ready.Select(r => r.Seq));
        Assert.Equal((8L, 8L), sequencer.Gap);
        Assert.Equal(1, sequencer.SkipGap(ready));
        Assert.Equal(9, sequencer.LastApplied);
    }

    [Fact]
    public void A_seq_that_arrives_after_its_gap_was_given_up_is_applied_late_once()
    {
        var sequencer = new TelemetrySequencer(lastApplied: 2);
        var ready = new List<TelemetryRecord>();
        sequencer.Offer(R(7), ready);
        Assert.Equal(4, sequencer.SkipGap(ready));   // 3..6
        ready.Clear();

        Assert.True(sequencer.Offer(R(5), ready));
        Assert.Equal([5L], ready.Select(r => r.Seq));
        Assert.False(sequencer.Offer(R(5), ready));   // once only
        Assert.True(sequencer.Offer(R(3), ready));
        Assert.True(sequencer.Offer(R(6), ready));
        Assert.True(sequencer.Offer(R(4), ready));
        Assert.False(sequencer.Offer(R(2), ready));   // applied in order long ago
        Assert.Equal(4, sequencer.LateArrivals);
        Assert.Equal(7, sequencer.LastApplied);
    }

    [Fact]
    public void With_nothing_applied_the_first_record_waits_for_lower_ones_and_starting_there_skips_nothing()
    {
        var sequencer = new TelemetrySequencer(lastApplied: -1);
        var ready = new List<TelemetryRecord>();
        sequencer.Offer(R(40), ready);
        Assert.Empty(ready);
        Assert.Equal((0L, 39L), sequencer.Gap);
        Assert.Equal(0, sequencer.SkipGap(ready));
        Assert.Equal([40L], ready.Select(r => r.Seq));
    }

    [Fact]
    public void Too_much_waiting_behind_a_gap_gives_the_gap_up()
    {
        var sequencer = new TelemetrySequencer(lastApplied: 0, maxPending: 3);
        var ready = new List<TelemetryRecord>();
        foreach (var seq in new long[] { 3, 4, 5 })
        {
            sequencer.Offer(R(seq), ready);
        }

        Assert.Empty(ready);
        sequencer.Offer(R(6), ready);   // the fourth waiting record: over the bound
        Assert.Equal([3L, 4L, 5L, 6L], ready.Select(r => r.Seq));
        Assert.Equal(0, sequencer.PendingCount);
    }

    private static TelemetryRecord R(long seq) => new(seq, DateTime.UnixEpoch, null, DateTime.UnixEpoch, []);
}
