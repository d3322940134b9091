using System.Collections.Immutable;
using Orleans.Runtime;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Twins;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

/// <summary>Twins applying telemetry from their stream: in seq order, each once, gaps filled from the log.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TelemetryTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Out_of_order_and_repeated_records_are_applied_once_each_in_seq_order()
    {
        var id = await NewTwin();
        await Publish(id, 1, 2, 3);
        await Publish(id, 5, 4, 3, 6);   // 5 before 4, 3 again
        await Publish(id, 6, 7);

        var status = await WaitFor(id, s => s.LastSeq == 7 && s.DuplicatesIgnored == 2);
        Assert.Equal(7, status.Applied);
        Assert.Equal(0, status.Skipped);
        Assert.Equal(7 * 5, status.Samples);   // a 4-sample block and a scalar per record
        Assert.Equal(7, status.Latest["temperature"].Seq);
        Assert.Equal(70.0 + 7, status.Latest["temperature"].Value);
        Assert.Equal(Rms([1, -1, 1, -1]), status.Latest["vibration"].Value, 6);
        Assert.Equal(7, status.ApplyDelay.Total);
    }

    [Fact]
    public async Task A_gap_in_the_stream_is_filled_from_the_log()
    {
        var id = await NewTwin();
        await Log(id, Enumerable.Range(1, 10));
        await Publish(id, 1, 2, 3);
        await Publish(id, 8, 9, 10);   // 4..7 were lost on the way (a crashed stream queue), but are logged

        var status = await WaitFor(id, s => s.LastSeq == 10);
        Assert.Equal(10, status.Applied);
        // 4..7 can only have come from the log; the others live, or from the log when a read caught up first.
        Assert.InRange(status.FilledFromLog, 4, 10);
        Assert.Equal(10, status.FilledFromLog + status.ApplyDelay.Total);
        Assert.Equal(0, status.Skipped);
    }

    [Fact]
    public async Task Logged_messages_that_never_arrived_live_are_caught_up()
    {
        var id = await NewTwin();
        await Log(id, [1, 2]);
        await Publish(id, 1, 2);
        await WaitFor(id, s => s.LastSeq == 2);

        // 3..5 reach the log only (the tail of a burst whose stream queue died with its silo): once live telemetry
        // has been quiet for IdleCatchUp (1 s here), the twin catches up.
        await Log(id, [3, 4, 5]);
        var status = await WaitFor(id, s => s.LastSeq == 5);
        Assert.Equal(5, status.LastSeq);
        Assert.Equal(5, status.Applied);
        Assert.InRange(status.FilledFromLog, 3, 5);
        Assert.Equal(5, status.FilledFromLog + status.ApplyDelay.Total);
    }

    [Fact]
    public async Task A_gap_the_log_cannot_fill_is_skipped_after_the_timeout_and_counted()
    {
        var id = await NewTwin();
        await Log(id, [1, 2, 6]);
        await Publish(id, 1, 2, 6);   // 3..5 were never accepted by any ingress

        var status = await WaitFor(id, s => s.LastSeq == 6);
        Assert.Equal(3, status.Applied);
        Assert.Equal(3, status.Skipped);
    }

    [Fact]
    public async Task Telemetry_for_a_twin_that_does_not_exist_creates_nothing()
    {
        var id = Ids.New("ghost");
        await Publish(id, 1);
        // The record reached the grain (or is on its way); either way the twin must stay absent.
        var error = await Assert.ThrowsAsync<TwinOperationException>(() => Client.GetTwin(new TwinId(id)).GetTelemetry());
        Assert.Equal(TwinErrorCode.NotFound, error.Code);
        Assert.Null(await Client.GetTwin(new TwinId(id)).Get());
    }

    [Fact]
    public async Task Counts_survive_deactivation_and_old_seqs_stay_duplicates()
    {
        var id = await NewTwin();
        await Publish(id, 1, 2, 3);
        await WaitFor(id, s => s.LastSeq == 3);

        await Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        await Publish(id, 2, 3, 4);

        var status = await WaitFor(id, s => s.LastSeq == 4 && s.DuplicatesIgnored == 2);
        Assert.Equal(4, status.Applied);
    }

    [Fact]
    public async Task A_twin_deleted_and_created_again_starts_its_telemetry_afresh()
    {
        var id = await NewTwin();
        await Publish(id, 1, 2, 3);
        await WaitFor(id, s => s.LastSeq == 3);

        await Client.GetTwin(new TwinId(id)).Delete(null, cascade: false);
        await Client.GetTwin(new TwinId(id)).Create(TestModels.Bearing, "{}");
        var fresh = await Client.GetTwin(new TwinId(id)).GetTelemetry();
        Assert.Equal(0, fresh.Applied);

        await Publish(id, 1, 2);   // the new device counts from 1 again
        var status = await WaitFor(id, s => s.LastSeq == 2);
        Assert.Equal(2, status.Applied);
        Assert.Equal(0, status.DuplicatesIgnored);
    }

    [Fact]
    public async Task A_refused_seq_lets_the_twin_move_on_at_once_and_a_wild_one_changes_nothing()
    {
        var id = await NewTwin();
        await Publish(id, 1, 2);
        await PublishRecords(id, TelemetryRecord.RefusedMarker(3, DateTime.UtcNow), Record(4));
        var status = await WaitFor(id, s => s.LastSeq == 4);
        Assert.Equal(3, status.Applied);
        Assert.Equal(1, status.Refused);
        Assert.Equal(0, status.Skipped);

        await PublishRecords(id, TelemetryRecord.RefusedMarker(1_000_000, DateTime.UtcNow));
        await Publish(id, 5);
        status = await WaitFor(id, s => s.LastSeq == 5);
        Assert.Equal(4, status.Applied);
        Assert.Equal(1, status.Refused);
    }

    [Fact]
    public async Task A_bearing_twin_analyses_its_vibration_and_reports_the_defect_it_carries()
    {
        var id = Ids.New("mb");
        await Client.GetTwin(new TwinId(id)).Create(TestModels.MainBearing, Condition.ConditionFeed.Properties());
        var feed = new Condition.ConditionFeed(severity: 0.6);
        var records = feed.Records(0, 4);   // 4 s of contiguous 12.8 kHz blocks with an outer-race defect
        for (var i = 0; i < records.Count; i += 10)
        {
            await PublishRecords(id, [.. records.Skip(i).Take(10)]);
        }

        var status = await WaitFor(id, s => s.LastSeq == records.Count && s.Condition is not null);
        Assert.Contains("outer-race", status.Condition, StringComparison.Ordinal);
        Assert.InRange(status.Health!.Value, 0, 0.95);

        // The condition is checkpointed: a new activation reports it before any new telemetry arrives.
        await Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        var restored = await Client.GetTwin(new TwinId(id)).GetTelemetry();
        Assert.Equal(status.Condition, restored.Condition);

        // A twin that is not a bearing, gearbox or generator is not monitored.
        var plain = Ids.New("tu");
        await Client.GetTwin(new TwinId(plain)).Create(TestModels.Turbine, "{}");
        Assert.Null(TwinGrain.MonitoredKind("dtmi:test:Turbine;1", []));
        Assert.Equal(Analytics.ComponentKind.MainBearing, TwinGrain.MonitoredKind(TestModels.MainBearing, [TestModels.Bearing]));
        await PublishRecords(plain, [.. feed.Records(10, 4).Select((r, i) => r with { Seq = i + 1 })]);
        var plainStatus = await WaitFor(plain, s => s.LastSeq == records.Count);
        Assert.Null(plainStatus.Condition);
        Assert.Null(plainStatus.Health);
    }

    [Fact]
    public async Task A_bearing_twin_whose_geometry_is_corrected_analyses_with_the_new_geometry()
    {
        var id = Ids.New("mb");
        var wrong = Condition.ConditionFeed.Properties().Replace("\"balls\":9", "\"balls\":14", StringComparison.Ordinal)
            .Replace("\"pitchDiameterMm\":39.0398", "\"pitchDiameterMm\":70", StringComparison.Ordinal);
        await Client.GetTwin(new TwinId(id)).Create(TestModels.MainBearing, wrong);
        var feed = new Condition.ConditionFeed(severity: 0.6);
        var first = feed.Records(0, 4);
        for (var i = 0; i < first.Count; i += 10)
        {
            await PublishRecords(id, [.. first.Skip(i).Take(10)]);
        }

        var before = await WaitFor(id, s => s.LastSeq == first.Count && s.Condition is not null);
        Assert.DoesNotContain("outer-race", before.Condition, StringComparison.Ordinal);

        // The geometry is corrected while the twin runs: the monitor picks it up without a restart.
        await Client.GetTwin(new TwinId(id)).Patch("""[{"op":"replace","path":"/balls","value":9},{"op":"replace","path":"/pitchDiameterMm","value":39.0398}]""", null);
        var second = feed.Records(4, 4);
        for (var i = 0; i < second.Count; i += 10)
        {
            await PublishRecords(id, [.. second.Skip(i).Take(10)]);
        }

        var after = await WaitFor(id, s => s.LastSeq == first.Count + second.Count);
        Assert.Contains("outer-race", after.Condition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_condition_watcher_hears_of_each_analysed_window_until_it_unwatches()
    {
        var id = Ids.New("mb");
        var twin = Client.GetTwin(new TwinId(id));
        await twin.Create(TestModels.MainBearing, Condition.ConditionFeed.Properties());
        var leaving = new RecordingWatcher();
        var staying = new RecordingWatcher();
        var leavingRef = Client.CreateObjectReference<IConditionWatcher>(leaving);
        var stayingRef = Client.CreateObjectReference<IConditionWatcher>(staying);
        Assert.Equal(TwinGrain.ConditionWatchLease, await twin.WatchCondition(leavingRef));
        Assert.Equal(TwinGrain.ConditionWatchLease, await twin.WatchCondition(stayingRef));
        Assert.Equal(TwinGrain.ConditionWatchLease, await twin.WatchCondition(stayingRef));   // a renewal, not a second subscription

        var feed = new Condition.ConditionFeed(severity: 0.6);
        var first = feed.Records(0, 4);
        await PublishInTens(id, first);
        await WaitFor(id, s => s.LastSeq == first.Count && s.Condition is not null);
        var view = await twin.GetConditionView();
        Assert.NotNull(view);

        // Both hear of the latest window, and each count once (a renewal did not double the notifications). One-way
        // calls may arrive out of order (CI saw 0,3,2,5,7), so "latest" is the largest count heard, as the interface says.
        await Eventually.WaitFor(() => Task.FromResult(staying.Counts), c => c.Count > 0 && c.Max() == view.WindowsAnalysed, Patience,
            c => $"the watcher heard {string.Join(",", c)}, the twin analysed {view.WindowsAnalysed}");
        await Eventually.WaitFor(() => Task.FromResult(leaving.Counts), c => c.Count > 0 && c.Max() == view.WindowsAnalysed, Patience,
            c => $"the watcher heard {string.Join(",", c)}, the twin analysed {view.WindowsAnalysed}");
        Assert.Equal(staying.Counts.Count, staying.Counts.Distinct().Count());
        Assert.All(staying.Twins, heard => Assert.Equal(id, heard));

        // One unwatches: when the other hears of the next windows, it has heard of none of them.
        await twin.UnwatchCondition(leavingRef);
        var second = feed.Records(4, 4);
        await PublishInTens(id, second);
        await WaitFor(id, s => s.LastSeq == first.Count + second.Count);
        var later = (await twin.GetConditionView())!;
        Assert.True(later.WindowsAnalysed > view.WindowsAnalysed);
        await Eventually.WaitFor(() => Task.FromResult(staying.Counts), c => c.Max() == later.WindowsAnalysed, Patience,
            c => $"the watcher heard {string.Join(",", c)}, the twin analysed {later.WindowsAnalysed}");
        Assert.All(leaving.Counts, heard => Assert.InRange(heard, 0, view.WindowsAnalysed));

        // A twin that does not exist refuses a watch.
        var missing = await Assert.ThrowsAsync<TwinOperationException>(() => Client.GetTwin(new TwinId(Ids.New("none"))).WatchCondition(stayingRef));
        Assert.Equal(TwinErrorCode.NotFound, missing.Code);
        Client.DeleteObjectReference<IConditionWatcher>(leavingRef);
        Client.DeleteObjectReference<IConditionWatcher>(stayingRef);
    }

    private sealed class RecordingWatcher : IConditionWatcher
    {
        private readonly Lock _lock = new();
        private readonly List<long> _counts = [];
        private readonly List<string> _ids = [];

        public List<long> Counts
        {
            get
            {
                lock (_lock)
                {
                    return [.. _counts];
                }
            }
        }

        public List<string> Twins
        {
            get
            {
                lock (_lock)
                {
                    return [.. _ids];
                }
            }
        }

        public Task Analysed(string twinId, long windowsAnalysed)
        {
            lock (_lock)
            {
                _counts.Add(windowsAnalysed);
                _ids.Add(twinId);
            }

            return Task.CompletedTask;
        }
    }

    private async Task PublishInTens(string id, IReadOnlyList<TelemetryRecord> records)
    {
        for (var i = 0; i < records.Count; i += 10)
        {
            await PublishRecords(id, [.. records.Skip(i).Take(10)]);
        }
    }

    private Task PublishRecords(string id, params TelemetryRecord[] records) =>
        Client.GetStreamProvider(TelemetryStreams.Provider)
            .GetStream<TelemetryBatch>(StreamId.Create(TelemetryStreams.Namespace, id))
            .OnNextAsync(new TelemetryBatch(id, [.. records]));

    private async Task<string> NewTwin()
    {
        var id = Ids.New("tb");
        await Client.GetTwin(new TwinId(id)).Create(TestModels.Bearing, "{}");
        return id;
    }

    private Task Publish(string id, params long[] seqs) =>
        Client.GetStreamProvider(TelemetryStreams.Provider)
            .GetStream<TelemetryBatch>(StreamId.Create(TelemetryStreams.Namespace, id))
            .OnNextAsync(new TelemetryBatch(id, [.. seqs.Select(Record)]));

    private async Task Log(string id, IEnumerable<int> seqs) =>
        await fixture.TelemetryLog.AppendAsync(seqs.Select(s => new TelemetryMessage(new TwinId(id), s, DateTimeOffset.UtcNow, 1000,
            [new TelemetryChannel("vibration", [1, -1, 1, -1], "g"), new TelemetryChannel("temperature", [70.0 + s], null, isScalar: true)],
            WireFormat.Json)).ToList(), TestContext.Current.CancellationToken);

    private static TelemetryRecord Record(long seq) => new(seq, DateTime.UtcNow, 1000, DateTime.UtcNow,
        [new TelemetryValue("vibration", "g", double.NaN, [1, -1, 1, -1]), new TelemetryValue("temperature", null, 70.0 + seq, null)]);

    private static double Rms(float[] samples) => Math.Sqrt(samples.Average(s => (double)s * s));

    /// <summary>Reads the twin's telemetry status until <paramref name="done"/> holds; fails with the last status.</summary>
    private Task<TelemetryStatus> WaitFor(string id, Func<TelemetryStatus, bool> done) =>
        Eventually.WaitFor(() => Client.GetTwin(new TwinId(id)).GetTelemetry(), done, Patience, status =>
            $"twin {id} never reached the expected telemetry state; last: applied {status.Applied}, last seq {status.LastSeq}, " +
            $"duplicates {status.DuplicatesIgnored}, skipped {status.Skipped}, filled {status.FilledFromLog}");
}
