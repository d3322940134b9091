using System.Diagnostics;
using Npgsql;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Integration.Tests.Postgres;
using TwinCluster.Storage;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryData;

namespace TwinCluster.Integration.Tests.Telemetry;

[Collection(PostgresCollection.Name)]
public sealed class PostgresTelemetryLogTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Appended_messages_read_back_exactly_with_bit_exact_samples()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var twin = NewTwin();
        TelemetryMessage[] sent = [Block(twin, 1), Json(twin, 2), Block(twin, 3, samples: 1024)];

        var added = await log.AppendAsync(sent, Ct);
        var read = await log.ReadAsync(twin, 1, 3, Ct);

        Assert.True(log.IsDurable);
        Assert.Equal(3, added);
        Assert.Equal(3, read.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            AssertSame(sent[i], read[i]);
        }

        Assert.Equal(3, await log.LastSeqAsync(twin, Ct));
        Assert.Null(await log.LastSeqAsync(NewTwin(), Ct));
        // Compact: float32-exact blocks take 4 bytes a sample, the JSON doubles 8.
        var widths = await SchemaQueries.ListAsync<short>(db, "SELECT sample_width FROM telemetry_log ORDER BY seq", Ct);
        Assert.Equal([(short)4, (short)8, (short)4], widths);
    }

    [Fact]
    public async Task Re_appending_a_logged_batch_adds_nothing()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var twin = NewTwin();
        TelemetryMessage[] batch = [Block(twin, 1), Block(twin, 2), Json(twin, 3)];
        await log.AppendAsync(batch, Ct);

        var again = await log.AppendAsync(batch, Ct);
        // A redelivery with another timestamp (another day, so another partition) is still the same (twin, seq).
        var moved = await log.AppendAsync([Block(twin, 2, Day2), Block(twin, 4), Block(twin, 4)], Ct);

        Assert.Equal(0, again);
        Assert.Equal(1, moved);
        Assert.Equal([1L, 2L, 3L, 4L], (await log.ReadAsync(twin, 0, 100, Ct)).Select(m => m.Seq));
        Assert.Equal([4L], await SchemaQueries.ListAsync<long>(db, "SELECT count(*) FROM telemetry_log", Ct));
    }

    [Fact]
    public async Task A_gap_read_returns_exactly_the_requested_seq_range_in_order()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var twin = NewTwin();
        var other = NewTwin();
        // Appended out of order and across two days, so the read must sort over partitions.
        await log.AppendAsync([.. Enumerable.Range(1, 20).Reverse().Select(i => Block(twin, i, i % 2 == 0 ? Day2 : Day1)), Block(other, 10)], Ct);

        var gap = await log.ReadAsync(twin, 8, 13, Ct);

        Assert.Equal([8L, 9L, 10L, 11L, 12L, 13L], gap.Select(m => m.Seq));
        Assert.All(gap, m => Assert.Equal(twin, m.TwinId));
        Assert.Empty(await log.ReadAsync(twin, 21, 30, Ct));
    }

    [Fact]
    public async Task Messages_of_two_days_land_in_two_partitions_and_retention_drops_only_the_old_one()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var twin = NewTwin();
        await log.AppendAsync([Block(twin, 1, Day1), Block(twin, 2, Day1.AddHours(13)), Block(twin, 3, Day2)], Ct);

        var partitions = await log.ListPartitionNamesAsync(Ct);
        var perPartition = await SchemaQueries.ListAsync<string>(db,
            "SELECT tableoid::regclass::text || ':' || count(*) FROM telemetry_log GROUP BY tableoid ORDER BY 1", Ct);
        // Samples are stored uncompressed out of line in every partition (floats barely compress).
        var storage = await SchemaQueries.ListAsync<char>(db,
            "SELECT a.attstorage FROM pg_attribute a JOIN pg_inherits i ON i.inhrelid = a.attrelid " +
            "WHERE i.inhparent = 'telemetry_log'::regclass AND a.attname = 'samples'", Ct);
        // A cutoff inside day 2 must not drop day 2.
        var dropped = await log.DropPartitionsOlderThanAsync(Day2, Ct);

        Assert.Equal(["telemetry_log_p20261120", "telemetry_log_p20261121"], partitions);
        Assert.Equal(["telemetry_log_p20261120:2", "telemetry_log_p20261121:1"], perPartition);
        Assert.Equal(['e', 'e'], storage);
        Assert.Equal(["telemetry_log_p20261120"], dropped);
        Assert.Equal(["telemetry_log_p20261121"], await log.ListPartitionNamesAsync(Ct));
        Assert.Equal([3L], (await log.ReadAsync(twin, 0, 100, Ct)).Select(m => m.Seq));
        Assert.Equal([1L], await SchemaQueries.ListAsync<long>(db, "SELECT count(*) FROM telemetry_seq", Ct));
        Assert.Empty(await log.DropPartitionsOlderThanAsync(Day2, Ct));
    }

    [Fact]
    public async Task Retention_as_a_period_keeps_the_days_that_ended_within_it()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var twin = NewTwin();
        await log.AppendAsync([Block(twin, 1, Day1), Block(twin, 2, Day2), Block(twin, 3, Day2.AddDays(1))], Ct);
        // Now is 2026-11-23 06:00; seven days keep everything, two days keep 11-21 (ends 11-22 00:00) and later.
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero));

        var none = await log.ApplyRetentionAsync(TimeSpan.FromDays(7), clock, Ct);
        var some = await log.ApplyRetentionAsync(TimeSpan.FromDays(2), clock, Ct);

        Assert.Empty(none);
        Assert.Equal(["telemetry_log_p20261120"], some);
        Assert.Equal([2L, 3L], (await log.ReadAsync(twin, 0, 10, Ct)).Select(m => m.Seq));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ApplyRetentionAsync(TimeSpan.FromHours(1), clock, Ct));
    }

    [Fact]
    public async Task A_day_dropped_elsewhere_is_recreated_when_a_message_for_it_arrives()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var other = new PostgresTelemetryLog(source);
        var twin = NewTwin();
        await log.AppendAsync([Block(twin, 1, Day1)], Ct);
        await other.DropPartitionsOlderThanAsync(Day2, Ct);

        // log still believes day 1 exists.
        var added = await log.AppendAsync([Block(twin, 2, Day1)], Ct);

        Assert.Equal(1, added);
        Assert.Equal([2L], (await log.ReadAsync(twin, 0, 10, Ct)).Select(m => m.Seq));
    }

    [Fact]
    public async Task Concurrent_appends_from_two_tasks_create_the_partitions_without_failing()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var sourceA = NpgsqlDataSource.Create(db);
        await using var sourceB = NpgsqlDataSource.Create(db);
        // Two log instances stand for two ingress processes: neither has a partition cached.
        var logA = new PostgresTelemetryLog(sourceA);
        var logB = new PostgresTelemetryLog(sourceB);
        var twinA = NewTwin();
        var twinB = NewTwin();
        var shared = NewTwin();
        var days = Enumerable.Range(0, 5).Select(d => Day1.AddDays(d)).ToArray();

        var results = await Task.WhenAll(
            Task.Run(() => AppendAcross(logA, twinA, shared, days), Ct),
            Task.Run(() => AppendAcross(logB, twinB, shared, days), Ct));

        Assert.Equal(5, (await logA.ListPartitionNamesAsync(Ct)).Count);
        Assert.Equal(10 + 10 + 5, results.Sum());
        Assert.Equal(10, (await logA.ReadAsync(twinA, 0, 100, Ct)).Count);
        Assert.Equal(10, (await logB.ReadAsync(twinB, 0, 100, Ct)).Count);
        Assert.Equal(5, (await logA.ReadAsync(shared, 0, 100, Ct)).Count);
    }

    [Fact]
    public async Task Overlapping_batches_appended_concurrently_in_opposite_orders_log_each_message_once()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var twins = Enumerable.Range(0, 4).Select(_ => NewTwin()).ToArray();
        var forward = twins.SelectMany(t => Enumerable.Range(0, 50).Select(i => Block(t, i, samples: 8))).ToArray();
        var backward = forward.Reverse().ToArray();
        await log.AppendAsync([Block(NewTwin(), 0)], Ct);

        // Redeliveries racing each other, with their keys in opposite orders (the classic deadlock shape).
        var results = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(i => Task.Run(() => log.AppendAsync(i % 2 == 0 ? forward : backward, Ct), Ct)));

        Assert.Equal(forward.Length, results.Sum());
        foreach (var twin in twins)
        {
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), (await log.ReadAsync(twin, 0, 100, Ct)).Select(m => m.Seq));
        }
    }

    [Fact]
    public async Task A_batch_that_fails_stores_none_of_its_messages()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var twin = NewTwin();
        // The table refuses this row (a CHECK added for the test), after the first row went in.
        await SchemaQueries.ExecuteAsync(db, "ALTER TABLE telemetry_log ADD CONSTRAINT test_no_seq_99 CHECK (seq <> 99)", Ct);

        await Assert.ThrowsAsync<PostgresException>(() => log.AppendAsync([Block(twin, 1), Block(twin, 99)], Ct));

        Assert.Empty(await log.ReadAsync(twin, 0, 100, Ct));
        Assert.Null(await log.LastSeqAsync(twin, Ct));
    }

    [Fact]
    public async Task The_migration_runs_twice_and_creates_the_telemetry_tables()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);

        var second = await PostgresMigrator.MigrateAsync(db, cancellationToken: Ct);

        Assert.Empty(second.Applied);
        Assert.Contains("0020_telemetry", second.AlreadyApplied);
        Assert.Equal(["p"], await SchemaQueries.ListAsync<string>(db,
            "SELECT relkind::text FROM pg_class WHERE relname = 'telemetry_log'", Ct));
        Assert.Equal(2, (await SchemaQueries.ListAsync<string>(db,
            "SELECT table_name::text FROM information_schema.tables WHERE table_name IN ('telemetry_seq', 'telemetry_dead_letter')", Ct)).Count);
    }

    [Fact]
    public async Task Appending_ten_thousand_blocks_of_1024_samples_prints_its_throughput()
    {
        const int Messages = 10_000;
        const int BatchSize = 500;
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var log = new PostgresTelemetryLog(source);
        var twins = Enumerable.Range(0, 100).Select(_ => NewTwin()).ToArray();
        var messages = Enumerable.Range(0, Messages)
            .Select(i => Block(twins[i % twins.Length], i / twins.Length, Day1.AddMilliseconds(i), samples: 1024))
            .ToList();

        var added = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in messages.Chunk(BatchSize))
        {
            added += await log.AppendAsync(batch, Ct);
        }

        clock.Stop();

        Assert.Equal(Messages, added);
        var bytes = await SchemaQueries.ListAsync<long>(db, "SELECT sum(octet_length(samples))::bigint FROM telemetry_log", Ct);
        Assert.Equal(Messages * 1024L * 4, bytes.Single());
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Appended {Messages:N0} messages x 1,024 float32 samples in batches of {BatchSize} via binary COPY in " +
            $"{clock.Elapsed.TotalSeconds:F2} s: {Messages / clock.Elapsed.TotalSeconds:N0} messages/s, " +
            $"{Messages * 1024.0 / clock.Elapsed.TotalSeconds / 1e6:F1} M samples/s.");
    }

    private static async Task<int> AppendAcross(PostgresTelemetryLog log, Wire.TwinId own, Wire.TwinId shared, DateTimeOffset[] days)
    {
        var added = 0;
        for (var i = 0; i < days.Length; i++)
        {
            added += await log.AppendAsync(
                [Block(own, 2 * i, days[i]), Block(own, 2 * i + 1, days[i]), Block(shared, i, days[i])], Ct);
        }

        return added;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static void AssertSame(TelemetryMessage expected, TelemetryMessage actual)
    {
        Assert.Equal(expected.TwinId, actual.TwinId);
        Assert.Equal(expected.Seq, actual.Seq);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.SampleRateHz, actual.SampleRateHz);
        Assert.Equal(expected.Format, actual.Format);
        Assert.Equal(expected.Channels.Length, actual.Channels.Length);
        for (var c = 0; c < expected.Channels.Length; c++)
        {
            var (e, a) = (expected.Channels[c], actual.Channels[c]);
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Unit, a.Unit);
            Assert.Equal(e.IsScalar, a.IsScalar);
            Assert.Equal(
                e.Values.ToArray().Select(BitConverter.DoubleToInt64Bits),
                a.Values.ToArray().Select(BitConverter.DoubleToInt64Bits));
        }
    }
}
