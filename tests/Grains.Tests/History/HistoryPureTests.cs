using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using TwinCluster.Analytics;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.History;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Storage.History;
using Xunit;

namespace TwinCluster.Grains.Tests.History;

/// <summary>The pure parts of the history: steps and ranges, buckets, features, the state JSON, the in-memory store and the writer.</summary>
public sealed class HistoryPureTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_backwards_range_is_refused_naming_both_ends()
    {
        var error = Assert.Throws<TwinOperationException>(() => HistorySteps.Resolve(T0, T0.AddHours(-1), null));
        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Contains("backwards", error.Message, StringComparison.Ordinal);
        Assert.Contains("'to'", error.Message, StringComparison.Ordinal);
        Assert.Throws<TwinOperationException>(() => HistorySteps.Resolve(T0, T0, null));
    }

    [Fact]
    public void A_step_too_fine_for_the_range_is_refused_with_the_limit()
    {
        var error = Assert.Throws<TwinOperationException>(() => HistorySteps.Resolve(T0, T0.AddDays(30), TimeSpan.FromSeconds(1)));
        Assert.Contains("at most 10,000 buckets, so a step of at least 4m20s", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(260), HistorySteps.Resolve(T0, T0.AddDays(30), TimeSpan.FromSeconds(260)));
        Assert.Contains("whole number of seconds", Assert.Throws<TwinOperationException>(() => HistorySteps.Resolve(T0, T0.AddHours(1), TimeSpan.FromMilliseconds(1500))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3600, 10)]        // an hour: 10 s buckets (360)
    [InlineData(86400, 300)]      // a day: 5 min (288)
    [InlineData(2592000, 7200)]   // 30 days: 2 h (360)
    [InlineData(63072000, 172800)] // 2 years: 2 days (365)
    public void A_step_is_chosen_from_the_range(int rangeSeconds, int stepSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(stepSeconds), HistorySteps.Resolve(T0, T0.AddSeconds(rangeSeconds), null));

    [Fact]
    public void Buckets_align_to_the_epoch_and_durations_parse_and_print()
    {
        Assert.Equal(new DateTime(2026, 11, 1, 13, 0, 0, DateTimeKind.Utc), HistorySteps.BucketStart(new DateTime(2026, 11, 1, 13, 59, 59, DateTimeKind.Utc), TimeSpan.FromHours(1)));
        Assert.Equal(new DateTime(1969, 12, 31, 23, 0, 0, DateTimeKind.Utc), HistorySteps.BucketStart(new DateTime(1969, 12, 31, 23, 30, 0, DateTimeKind.Utc), TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromMinutes(90), HistorySteps.Parse("90m"));
        Assert.Equal(TimeSpan.FromDays(30), HistorySteps.Parse("30d"));
        Assert.Null(HistorySteps.Parse("soon"));
        Assert.Equal("1d2h3m4s", HistorySteps.Format(new TimeSpan(1, 2, 3, 4)));
        Assert.Equal(T0.AddDays(-2), HistoryTime.Parse("-2d", T0, "--from"));
        Assert.Contains("--from", Assert.Throws<ArgumentException>(() => HistoryTime.Parse("yesterday", T0, "--from")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_buckets_merge_to_what_the_points_give()
    {
        var whole = new BucketAccumulator();
        var a = new BucketAccumulator();
        var b = new BucketAccumulator();
        double[] values = [3, -1, 7, double.NaN, 2, 5];
        for (var i = 0; i < values.Length; i++)
        {
            whole.Add(values[i], i);
            if (i < 3)
            {
                a.Add(values[i], i);
            }
            else
            {
                b.Add(values[i], i);
            }
        }

        // Merged in the other order: last is still the latest point.
        var merged = new BucketAccumulator();
        merged.Merge(b.Count, b.Min, b.Max, b.Sum, b.Last, b.LastTicks);
        merged.Merge(a.Count, a.Min, a.Max, a.Sum, a.Last, a.LastTicks);
        Assert.Equal((5L, -1.0, 7.0, 3.2, 5.0), (whole.Count, whole.Min, whole.Max, whole.Mean, whole.Last));
        Assert.Equal((whole.Count, whole.Min, whole.Max, whole.Mean, whole.Last), (merged.Count, merged.Min, merged.Max, merged.Mean, merged.Last));
    }

    [Fact]
    public void Unknown_names_are_refused_and_features_are_known_before_any_is_stored()
    {
        TrendBuilder.CheckNames(["velocityRms", "band3", "scoreOuterRace"], new HashSet<string>());
        TrendBuilder.CheckNames(["temperature"], new HashSet<string> { "temperature" });
        var error = Assert.Throws<TwinOperationException>(() => TrendBuilder.CheckNames(["health", "Health", "bandX"], new HashSet<string>()));
        Assert.Contains("unknown feature or channel names 'Health', 'bandX'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no feature or channel names", Assert.Throws<TwinOperationException>(() => TrendBuilder.CheckNames([], new HashSet<string>())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_keeps_every_feature_under_its_name()
    {
        var indicators = new VibrationIndicators(0.5, 2.5, 5, 4.2, 3.1, 1.1, 0.4, 9.5, new FrequencyBand(1000, 2000), [0.1, 0.2, 0.3], [0, 100, 1000, 5000]);
        var scores = ImmutableDictionary<FaultKind, double>.Empty.Add(FaultKind.OuterRace, 14.5).Add(FaultKind.InnerRace, 2);
        var window = new AnalysisResult(25, indicators, null, new Diagnosis(FaultKind.OuterRace, 0.9, [], scores), SeverityZone.B, 0.61);
        var at = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        var condition = new ComponentCondition(0.64, FaultKind.OuterRace, 0.9, SeverityZone.B, 3.1, [], 3, new RemainingLife(86400, 40000, 120000, at), at, 42, AlertState.Warning, "vibration", 25);

        var row = HistoryFeatures.FromWindow("wt-01-gen-de", "vibration", window, condition);
        float Value(string name) => row.Values[row.Names.IndexOf(name)];
        Assert.Equal(("wt-01-gen-de", "vibration", at), (row.TwinId, row.Source, row.TimeUtc));
        Assert.Equal(row.Names.Length, row.Values.Length);
        Assert.Equal(0.5f, Value("accelerationRms"));
        Assert.Equal(2.5f, Value("peak"));
        Assert.Equal(5f, Value("crestFactor"));
        Assert.Equal(4.2f, Value("kurtosis"));
        Assert.Equal(3.1f, Value("velocityRms"));
        Assert.Equal(9.5f, Value("envelopeKurtosis"));
        Assert.Equal(0.64f, Value("health"));
        Assert.Equal(0.61f, Value("windowHealth"));
        Assert.Equal((float)FaultKind.OuterRace, Value("diagnosis"));
        Assert.Equal((86400f, 40000f, 120000f), (Value("rulSeconds"), Value("rulLowerSeconds"), Value("rulUpperSeconds")));
        Assert.Equal((0.1f, 0.2f, 0.3f), (Value("band1"), Value("band2"), Value("band3")));
        Assert.Equal((14.5f, 2f), (Value("scoreOuterRace"), Value("scoreInnerRace")));
        Assert.True(float.IsNaN(Value("scoreCage")));
        Assert.All(row.Names, n => Assert.True(HistoryFeatureNames.IsFeature(n), n));
    }

    [Fact]
    public void A_record_keeps_its_scalar_channels_and_not_its_waveforms()
    {
        var record = new TelemetryRecord(7, T0.UtcDateTime, 25600, T0.UtcDateTime,
        [
            new TelemetryValue("vibration", "g", 0, new float[1024]),
            new TelemetryValue("temperature", "degreeCelsius", 61.5, null),
            new TelemetryValue("rpm", "rpm", 0, [1490, 1510]),
        ]);
        var row = HistoryFeatures.FromTelemetry("wt-01", record)!;
        Assert.Equal(["temperature", "rpm"], row.Names);
        Assert.Equal([61.5f, 1500f], row.Values);
        Assert.Equal("", row.Source);
        Assert.Null(HistoryFeatures.FromTelemetry("wt-01", record with { Channels = [new TelemetryValue("vibration", "g", 0, new float[64])] }));
    }

    [Fact]
    public void A_twin_state_reads_back_as_it_was_written()
    {
        var twin = new TwinSnapshot("wt-01", "dtmi:x:Turbine;1", """{"ratedPowerKW":3000,"name":"WT01"}""",
            [new Relationship("r1", "contains", "wt-01", "wt-01-gen", """{"since":"2020"}""")],
            [new IncomingRelationship("c1", "contains", "farm-1")], "W/\"3\"", T0, T0.AddHours(1));
        var back = TwinStateJson.Read(TwinStateJson.Write(twin)!);
        Assert.Equal(twin.Id, back.Id);
        Assert.Equal(twin.ModelId, back.ModelId);
        Assert.Equal(twin.PropertiesJson, back.PropertiesJson);
        Assert.Equal(twin.Relationships, back.Relationships);
        Assert.Equal(twin.Incoming, back.Incoming);
        Assert.Equal((twin.ETag, twin.CreatedAt, twin.UpdatedAt), (back.ETag, back.CreatedAt, back.UpdatedAt));
        Assert.Null(TwinStateJson.Write(null));
    }

    [Fact]
    public async Task The_in_memory_store_keeps_the_latest_rows_per_twin_and_stores_a_replay_once()
    {
        var store = new InMemoryHistoryStore(new HistoryOptions { MemoryRowsPerTwin = 100 });
        var rows = Enumerable.Range(0, 150).Select(i => new HistoryRecord("t", T0.UtcDateTime.AddSeconds(i), "", ["temperature"], [i])).ToList();
        Assert.Equal(150, await store.WriteAsync(rows, TestContext.Current.CancellationToken));
        Assert.Equal(0, await store.WriteAsync(rows[^10..], TestContext.Current.CancellationToken));
        var trend = await store.TrendAsync(["t"], ["temperature"], T0.UtcDateTime, T0.UtcDateTime.AddHours(1), TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
        var bucket = Assert.Single(Assert.Single(trend.Series).Buckets);
        Assert.Equal((100L, 50.0, 149.0, 149.0, HistoryTier.Memory), (bucket.Count, bucket.Min, bucket.Max, bucket.Last, bucket.Tier));
        Assert.Contains("NOT DURABLE", store.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_writer_batches_outside_the_caller_and_writes_everything_it_took()
    {
        var store = new InMemoryHistoryStore(new HistoryOptions());
        var options = new HistoryOptions { BatchSize = 64, FlushInterval = TimeSpan.FromMilliseconds(50) };
        using var writer = new HistoryWriter(store, options, NullLogger<HistoryWriter>.Instance);
        await writer.StartAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(writer.Enqueue(new HistoryRecord("w" + (i % 10), T0.UtcDateTime.AddSeconds(i), "", ["temperature"], [i])));
        }

        writer.TwinChanged("w0", "create", null, new TwinSnapshot("w0", "m", "{}", [], [], "e1", T0, T0), T0);
        Assert.True(await writer.WhenWrittenAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken), $"written {writer.Written} of {writer.Queued}");
        await writer.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal((1001L, 1000L, 0L), (writer.Written, writer.Stored, writer.Dropped));
        var trend = await store.TrendAsync([.. Enumerable.Range(0, 10).Select(i => "w" + i)], ["temperature"], T0.UtcDateTime, T0.UtcDateTime.AddHours(1), TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
        Assert.Equal(1000, trend.Series.Sum(s => s.Buckets.Sum(b => b.Count)));
        Assert.Equal("e1", Assert.Single(await store.ChangesAsync("w0", T0, T0.AddSeconds(1), TestContext.Current.CancellationToken)).AfterJson is { } json ? TwinStateJson.Read(json).ETag : null);
    }
}
