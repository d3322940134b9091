using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests.Storage;

public sealed class InMemoryTelemetryLogTests
{
    private static readonly TwinId Other = new("wt-02-mb");

    private static TelemetryMessage Message(long seq, TwinId? twin = null) =>
        new(twin ?? Samples.Twin, seq, Samples.Now.AddSeconds(seq), 25_600,
            [new TelemetryChannel("vibration", [seq, seq + 0.1, -seq]), new TelemetryChannel("temperature", [21.5], "degreeCelsius", isScalar: true)],
            WireFormat.Json);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Appended_messages_read_back_in_seq_order_and_the_log_says_it_is_not_durable()
    {
        var log = new InMemoryTelemetryLog();

        var added = await log.AppendAsync([Message(3), Message(1), Message(2)], Ct);

        Assert.False(log.IsDurable);
        Assert.Equal(3, added);
        var read = await log.ReadAsync(Samples.Twin, 1, 3, Ct);
        Assert.Equal([1L, 2L, 3L], read.Select(m => m.Seq));
        Assert.Equal([2.0, 2.1, -2.0], read[1].Channels[0].Values.ToArray());
        Assert.Equal(3, await log.LastSeqAsync(Samples.Twin, Ct));
    }

    [Fact]
    public async Task Re_appending_logged_messages_adds_nothing()
    {
        var log = new InMemoryTelemetryLog();
        await log.AppendAsync([Message(1), Message(2)], Ct);

        var added = await log.AppendAsync([Message(2), Message(1), Message(3), Message(3)], Ct);

        Assert.Equal(1, added);
        Assert.Equal(3, log.Count);
        Assert.Equal([1L, 2L, 3L], (await log.ReadAsync(Samples.Twin, 0, 10, Ct)).Select(m => m.Seq));
    }

    [Fact]
    public async Task A_gap_read_returns_only_the_requested_range_of_that_twin()
    {
        var log = new InMemoryTelemetryLog();
        await log.AppendAsync([.. Enumerable.Range(1, 10).Select(i => Message(i)), Message(5, Other)], Ct);

        var gap = await log.ReadAsync(Samples.Twin, 4, 7, Ct);

        Assert.Equal([4L, 5L, 6L, 7L], gap.Select(m => m.Seq));
        Assert.All(gap, m => Assert.Equal(Samples.Twin, m.TwinId));
        Assert.Empty(await log.ReadAsync(new TwinId("nobody"), 0, 100, Ct));
        Assert.Null(await log.LastSeqAsync(new TwinId("nobody"), Ct));
    }

    [Fact]
    public async Task The_per_twin_cap_drops_the_lowest_seq()
    {
        var log = new InMemoryTelemetryLog(maxPerTwin: 3, maxTotal: 100);

        await log.AppendAsync([.. Enumerable.Range(1, 5).Select(i => Message(i))], Ct);
        var late = await log.AppendAsync([Message(1)], Ct);

        // Below what a full twin keeps, the log cannot tell a repeat from a message never seen: it counts as new
        // (the twin, which knows what it applied, ignores a repeat) and is not kept.
        Assert.Equal(1, late);
        Assert.Equal([3L, 4L, 5L], (await log.ReadAsync(Samples.Twin, 0, 10, Ct)).Select(m => m.Seq));
        Assert.Equal(5, await log.LastSeqAsync(Samples.Twin, Ct));
    }

    [Fact]
    public async Task The_total_cap_drops_the_oldest_appended_over_all_twins()
    {
        var log = new InMemoryTelemetryLog(maxPerTwin: 10, maxTotal: 4);

        await log.AppendAsync([Message(1), Message(1, Other), Message(2), Message(2, Other)], Ct);
        await log.AppendAsync([Message(3)], Ct);

        Assert.Equal(4, log.Count);
        Assert.Equal([2L, 3L], (await log.ReadAsync(Samples.Twin, 0, 10, Ct)).Select(m => m.Seq));
        Assert.Equal([1L, 2L], (await log.ReadAsync(Other, 0, 10, Ct)).Select(m => m.Seq));
    }

    [Fact]
    public async Task Many_appends_under_a_small_per_twin_cap_keep_the_count_and_queue_bounded()
    {
        var log = new InMemoryTelemetryLog(maxPerTwin: 2, maxTotal: 1_000);

        for (var i = 0; i < 5_000; i++)
        {
            await log.AppendAsync([Message(i)], Ct);
        }

        Assert.Equal(2, log.Count);
        Assert.Equal([4_998L, 4_999L], (await log.ReadAsync(Samples.Twin, 0, long.MaxValue, Ct)).Select(m => m.Seq));
    }

    [Fact]
    public void Caps_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryTelemetryLog(maxPerTwin: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryTelemetryLog(maxTotal: 0));
    }

    [Fact]
    public async Task An_empty_batch_adds_nothing()
    {
        var log = new InMemoryTelemetryLog();

        Assert.Equal(0, await log.AppendAsync(ImmutableArray<TelemetryMessage>.Empty, Ct));
        Assert.Equal(0, log.Count);
    }
}
