using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Tests.Condition;

public sealed class ComponentMonitorTests(ITestOutputHelper output)
{
    private static readonly DegradationProfile Growth = new(OnsetSeconds: 200, FailureSeconds: 1000, OnsetSeverity: 0.02);

    // One 2 s capture every 25 s (each after a timestamp gap), one history point per capture.
    private static ConditionOptions Captures => new() { HistoryInterval = TimeSpan.FromSeconds(20) };

    [Fact]
    public void A_healthy_bearing_stays_normal_with_health_near_one()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties());
        var feed = new ConditionFeed(severity: 0);
        var transitions = new List<AlertTransition>();

        var changes = feed.Capture(monitor, 0, 20, transitions);

        var condition = Assert.IsType<ComponentCondition>(monitor.Condition);
        Assert.Equal(FaultKind.Normal, condition.Fault);
        Assert.Equal(AlertState.Normal, condition.Alert);
        Assert.InRange(condition.HealthIndex, 0.9, 1);
        Assert.Equal(SeverityZone.A, condition.Zone);
        Assert.Empty(transitions);
        Assert.InRange(monitor.WindowsAnalysed, 37, 39);   // 20 s of 1 s windows every 0.5 s
        Assert.InRange(changes, 1, 3);                       // the first condition, then nothing material
        Assert.Null(condition.Rul);
        output.WriteLine(condition.Explain());
    }

    [Fact]
    public void A_growing_outer_race_fault_is_diagnosed_and_alerts_once_per_level_with_hysteresis_on_the_way_back()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties(), Captures);
        var feed = new ConditionFeed();
        var transitions = new List<AlertTransition>();
        var healthAt = new List<(double Severity, double Health)>();
        var t = 0.0;
        for (; monitor.Alert != AlertState.Alarm && t < 1000; t += 25)
        {
            feed.Severity = Growth.SeverityAt(t);
            feed.Capture(monitor, t, 2, transitions);
            healthAt.Add((feed.Severity, monitor.Condition!.HealthIndex));
            output.WriteLine(FormattableString.Invariant($"t {t,4} s severity {feed.Severity:0.000}: {monitor.Condition.Explain()}"));
        }

        Assert.Equal(AlertState.Alarm, monitor.Alert);
        Assert.Equal(FaultKind.OuterRace, monitor.Condition!.Fault);
        Assert.Contains(monitor.Condition.Evidence, e => e.Label.StartsWith("BPFO", StringComparison.Ordinal));
        Assert.Equal([(AlertState.Normal, AlertState.Warning), (AlertState.Warning, AlertState.Alarm)], transitions.Select(x => (x.From, x.To)));

        // Health declines with severity: each severity band reads lower than the one before.
        var healthy = healthAt.Where(p => p.Severity < 0.03).Average(p => p.Health);
        var early = healthAt.Where(p => p.Severity is >= 0.08 and < 0.2).Select(p => p.Health).DefaultIfEmpty(double.NaN).Average();
        var late = healthAt.Where(p => p.Severity >= 0.3).Select(p => p.Health).DefaultIfEmpty(double.NaN).Average();
        Assert.True(healthy > early && early > late, FormattableString.Invariant($"health {healthy:0.00} > {early:0.00} > {late:0.00}"));

        // Back down: the alarm holds until health is above 0.6 (severity 0.5 reads about 0.55), the warning until above
        // 0.85 (severity 0.17 reads about 0.8).
        foreach (var (severity, expected) in new[] { (0.5, AlertState.Alarm), (0.3, AlertState.Warning), (0.17, AlertState.Warning), (0.0, AlertState.Normal) })
        {
            feed.Severity = severity;
            for (var i = 0; i < 4; i++, t += 25)
            {
                feed.Capture(monitor, t, 2, transitions);
                output.WriteLine(FormattableString.Invariant($"t {t,4} s severity {severity:0.000}: {monitor.Condition.Explain()}"));
            }

            Assert.Equal(expected, monitor.Alert);
        }

        Assert.Equal(
            [(AlertState.Normal, AlertState.Warning), (AlertState.Warning, AlertState.Alarm), (AlertState.Alarm, AlertState.Warning), (AlertState.Warning, AlertState.Normal)],
            transitions.Select(x => (x.From, x.To)));
        Assert.Null(monitor.TakeTransition());
    }

    [Fact]
    public void Rul_appears_once_the_trend_is_established_and_shrinks_as_the_fault_grows()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties(), Captures);
        var feed = new ConditionFeed();
        var ruls = new List<(double Time, RemainingLife Rul)>();
        for (var t = 0.0; t < 900; t += 25)
        {
            feed.Severity = Growth.SeverityAt(t);
            feed.Capture(monitor, t, 2);
            var rul = monitor.Condition!.Rul;
            if (t < 200)
            {
                Assert.Null(rul);   // flat health: no trend, no number
            }

            if (rul is not null && (ruls.Count == 0 || rul != ruls[^1].Rul))
            {
                ruls.Add((t, rul));
                output.WriteLine(FormattableString.Invariant($"t {t,4} s: {monitor.Condition.Explain()}"));
            }
        }

        Assert.True(ruls.Count >= 3, $"RUL estimates: {ruls.Count}");
        var first = ruls.First(r => r.Rul.Seconds > 0);
        var last = ruls[^1];
        Assert.True(last.Rul.Seconds < first.Rul.Seconds, $"RUL {first.Rul.Seconds:0} s at {first.Time} s, then {last.Rul.Seconds:0} s at {last.Time} s");
        Assert.All(ruls, r => Assert.True(r.Rul.LowerSeconds <= r.Rul.Seconds && r.Rul.Seconds <= r.Rul.UpperSeconds));
        Assert.Contains("RUL", monitor.Condition!.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_gap_restarts_the_window()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties());
        var feed = new ConditionFeed();

        feed.Capture(monitor, 0, 0.8);            // 10 blocks: 0.8 s of a 1 s window
        feed.Capture(monitor, 5, 0.8);            // after a gap: glued, this would fill the window
        Assert.Equal(0, monitor.WindowsAnalysed);
        Assert.Null(monitor.Condition);
        Assert.Equal(1, monitor.Restarts);

        feed.Capture(monitor, 5.8, 0.24);         // contiguous: the window since the gap fills at 6.0 s
        Assert.Equal(1, monitor.WindowsAnalysed);
        Assert.Equal(ConditionFeed.At(6.0), monitor.Condition!.LastAnalysisUtc);
    }

    [Fact]
    public void Timestamp_jitter_within_the_tolerance_does_not_restart_the_window()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties());
        var feed = new ConditionFeed();
        var blockSeconds = ConditionFeed.BlockSize / feed.SampleRateHz;
        for (var k = 0; k < 25; k++)
        {
            var jitter = k % 2 == 0 ? 0.002 : -0.001;
            monitor.Offer(feed.Next(ConditionFeed.At(k * blockSeconds + jitter)));
        }

        Assert.Equal(0, monitor.Restarts);
        Assert.Equal(3, monitor.WindowsAnalysed);
    }

    [Fact]
    public void A_sample_rate_change_restarts_the_window()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties());
        var feed = new ConditionFeed();
        var blockSeconds = ConditionFeed.BlockSize / feed.SampleRateHz;
        for (var k = 0; k < 10; k++)
        {
            monitor.Offer(feed.Next(ConditionFeed.At(k * blockSeconds)));
        }

        // The device now says 25.6 kHz (timestamps stay contiguous at that rate): nothing before it may be reused.
        var fast = ConditionFeed.BlockSize / 25_600.0;
        var start = 10 * blockSeconds;
        for (var k = 0; k < 20; k++)
        {
            monitor.Offer(feed.Next(ConditionFeed.At(start + k * fast), labelledRateHz: 25_600));
        }

        Assert.Equal(0, monitor.WindowsAnalysed);   // 20 blocks = 0.8 s at the new rate
        Assert.Equal(1, monitor.Restarts);

        for (var k = 20; k < 26; k++)
        {
            monitor.Offer(feed.Next(ConditionFeed.At(start + k * fast), labelledRateHz: 25_600));
        }

        Assert.Equal(1, monitor.WindowsAnalysed);   // 25,600 samples since the change
    }

    [Fact]
    public void A_record_without_a_rate_uses_the_property_and_one_with_no_speed_is_not_analysed()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties());
        var feed = new ConditionFeed();
        var blockSeconds = ConditionFeed.BlockSize / feed.SampleRateHz;
        for (var k = 0; k < 13; k++)
        {
            var record = feed.Next(ConditionFeed.At(k * blockSeconds));
            monitor.Offer(record with { SampleRateHz = null, Channels = [.. record.Channels.Where(c => c.Name != "shaftSpeed")] });
        }

        Assert.Equal(0, monitor.WindowsAnalysed);
        Assert.Equal(1, monitor.WindowsSkipped);
        Assert.Null(monitor.ShaftHz);
    }

    [Fact]
    public void Checkpoint_and_restore_keep_the_condition_and_the_alert_state()
    {
        var options = Captures;
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties(), options);
        var feed = new ConditionFeed();
        var t = 0.0;
        for (; monitor.Alert != AlertState.Alarm && t < 1000; t += 25)
        {
            feed.Severity = Growth.SeverityAt(t);
            feed.Capture(monitor, t, 2);
        }

        Assert.Equal(AlertState.Alarm, monitor.Alert);
        monitor.TakeTransition();
        var checkpoint = ConditionSerialization.RoundTrip(monitor.Snapshot());

        var restored = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties(), options);
        restored.Restore(checkpoint);

        var before = monitor.Condition!;
        var after = restored.Condition!;
        Assert.Equal(before.Explain(), after.Explain());
        Assert.Equal(before with { Evidence = [] }, after with { Evidence = [] });
        Assert.Equal(before.Evidence, after.Evidence);
        Assert.Equal(AlertState.Alarm, restored.Alert);
        Assert.Equal(monitor.WindowsAnalysed, restored.WindowsAnalysed);
        Assert.Null(restored.TakeTransition());
        Assert.Equal(monitor.Snapshot().History, checkpoint.History);

        // Going on at the same severity: no new alert, the history and the window count carry on.
        var transitions = new List<AlertTransition>();
        feed.Capture(restored, t, 2, transitions);
        Assert.Empty(transitions);
        Assert.Equal(monitor.WindowsAnalysed + 3, restored.WindowsAnalysed);
        Assert.Equal(checkpoint.History.Length + 1, restored.Snapshot().History.Length);
        Assert.NotNull(restored.Condition!.Rul);
    }

    [Fact]
    public void Explain_mentions_the_diagnosis_the_zone_and_the_rul()
    {
        var condition = new ComponentCondition(
            0.48, FaultKind.OuterRace, 0.93, SeverityZone.C, 4.1,
            [new ConditionEvidence("BPFO x1", 107.4, 14.2), new ConditionEvidence("BPFO x2", 214.8, 11), new ConditionEvidence("BPFO x3", 322.2, 7)],
            3, new RemainingLife(19 * 86400, 13 * 86400, 25 * 86400, ConditionFeed.Epoch), ConditionFeed.Epoch, 1200, AlertState.Alarm, "vibration", 25);

        Assert.Equal("Alarm: outer-race defect (confidence 0.93), BPFO line +14 dB with 3 harmonics, velocity 4.1 mm/s, zone C, health 0.48, RUL 19 days ±6",
            condition.Explain());
        Assert.Equal("Normal: no fault signature, velocity 0.6 mm/s, zone A, health 0.95, no RUL trend yet",
            (condition with { Fault = FaultKind.Normal, Evidence = [], Harmonics = 0, Zone = SeverityZone.A, VelocityRmsMmPerS = 0.6, HealthIndex = 0.95, Rul = null, Alert = AlertState.Normal }).Explain());
    }

    [Fact]
    public void Records_that_fill_no_window_allocate_nothing()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties());
        var feed = new ConditionFeed(severity: 0.2);
        var records = feed.Records(0, 4);
        var quiet = 0;
        long allocated = 0;
        foreach (var record in records)
        {
            var windows = monitor.WindowsAnalysed;
            var before = GC.GetAllocatedBytesForCurrentThread();
            monitor.Offer(record);
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (monitor.WindowsAnalysed == windows && windows > 0)
            {
                quiet++;
                allocated += bytes;
            }
        }

        Assert.True(quiet > 10, $"{quiet} records without an analysis");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Properties_give_the_bearing_and_the_rate_and_bad_geometry_is_ignored()
    {
        var monitor = new ComponentMonitor(ComponentKind.MainBearing, ConditionFeed.Properties(25_600));
        Assert.Equal(ConditionFeed.Bearing, monitor.Bearing);
        Assert.Equal(25_600, monitor.PropertySampleRateHz);

        var bad = new ComponentMonitor(ComponentKind.Gearbox, """{"balls":9,"ballDiameterMm":40,"pitchDiameterMm":30}""");
        Assert.Null(bad.Bearing);
        Assert.Null(bad.PropertySampleRateHz);
        Assert.Throws<ArgumentException>(() => new ComponentMonitor(ComponentKind.Generic, "{"));
        Assert.Throws<ArgumentException>(() => new ComponentMonitor(ComponentKind.Generic, null, new ConditionOptions { AlarmHealth = 0.8 }));
    }

    [Fact]
    public void Speed_is_read_from_the_models_channel_names_and_units()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, null);
        monitor.Offer(Speed("speed", 1500, "revolutionPerMinute"));
        Assert.Equal(25, monitor.ShaftHz!.Value, 9);
        monitor.Offer(Speed("outputSpeed", 30, "hertz"));
        Assert.Equal(30, monitor.ShaftHz!.Value, 9);
        monitor.Offer(Speed("rotorSpeed", 12, "revolutionPerMinute"));
        Assert.Equal(30, monitor.ShaftHz!.Value, 9);

        static TelemetryRecord Speed(string name, double value, string unit) =>
            new(1, ConditionFeed.Epoch, null, ConditionFeed.Epoch, [new TelemetryValue(name, unit, value, null)]);
    }

    [Fact]
    public void Without_gap_detection_blocks_stamped_when_sent_are_joined()
    {
        // The fleet simulator sends one 80 ms block per second stamped with the clock's now; its samples are contiguous.
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties(), new ConditionOptions { GapTolerance = null });
        var feed = new ConditionFeed();
        for (var k = 0; k < 25; k++)
        {
            monitor.Offer(feed.Next(ConditionFeed.At(k)));
        }

        Assert.Equal(0, monitor.Restarts);
        Assert.Equal(3, monitor.WindowsAnalysed);
    }

    [Fact]
    public void The_worst_channel_makes_the_condition()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties());
        var healthy = new ConditionFeed(severity: 0, seed: 1);
        var faulty = new ConditionFeed(severity: 0.4, seed: 2);
        var blockSeconds = ConditionFeed.BlockSize / healthy.SampleRateHz;
        for (var k = 0; k < 40; k++)
        {
            var at = ConditionFeed.At(k * blockSeconds);
            var a = healthy.Next(at);
            var b = faulty.Next(at);
            monitor.Offer(a with { Channels = [.. a.Channels, b.Channels[0] with { Name = "bearingVibration" }] });
        }

        var condition = monitor.Condition!;
        Assert.Equal("bearingVibration", condition.Channel);
        Assert.Equal(FaultKind.OuterRace, condition.Fault);
        Assert.Equal(2 * 5, monitor.WindowsAnalysed);   // 3.2 s: windows at 1, 1.5, 2, 2.5, 3 s on each channel
    }
}
