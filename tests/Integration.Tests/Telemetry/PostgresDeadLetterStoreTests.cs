using Npgsql;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;
using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;
using static TwinCluster.Integration.Tests.Telemetry.TelemetryData;

namespace TwinCluster.Integration.Tests.Telemetry;

[Collection(PostgresCollection.Name)]
public sealed class PostgresDeadLetterStoreTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dead_letters_list_newest_first_in_pages_that_cover_everything_once()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var store = new PostgresDeadLetterStore(source);
        var twin = NewTwin();
        // Two letters share an arrival time, so the paging must break the tie by id.
        await store.AddAsync(
        [
            .. Enumerable.Range(0, 6).Select(i => DeadLetter.Of(Day1.AddSeconds(i), $"twins/{twin.Value}/telemetry", twin,
                DeadLetterReason.MalformedJson, $"letter {i}", [(byte)'{', (byte)i])),
            DeadLetter.Of(Day1.AddSeconds(5), "bad/topic", null, DeadLetterReason.InvalidTopic, "letter 5b", [1, 2, 3]),
        ], Ct);

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(new DeadLetterQuery(PageSize: 3, Continuation: continuation), Ct);
            seen.AddRange(page.Items.Select(l => l.Message));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["letter 5b", "letter 5", "letter 4", "letter 3", "letter 2", "letter 1", "letter 0"], seen);
    }

    [Fact]
    public async Task A_dead_letter_reads_back_with_every_field_and_a_prefix_of_at_most_one_KiB()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var store = new PostgresDeadLetterStore(source);
        var twin = NewTwin();
        var payload = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();

        await store.AddAsync([DeadLetter.Of(Day1, $"twins/{twin.Value}/telemetry", twin, DeadLetterReason.TooLarge, "5000 bytes", payload)], Ct);

        var letter = Assert.Single((await store.ListAsync(new DeadLetterQuery(), Ct)).Items);
        Assert.Equal(Day1, letter.ReceivedAt);
        Assert.Equal($"twins/{twin.Value}/telemetry", letter.Topic);
        Assert.Equal(twin, letter.TwinId);
        Assert.Equal(DeadLetterReason.TooLarge, letter.Reason);
        Assert.Equal("5000 bytes", letter.Message);
        Assert.Equal(payload.AsSpan(0, DeadLetter.MaxPrefixBytes).ToArray(), letter.PayloadPrefix.ToArray());
        Assert.Equal(5000, letter.Size);
    }

    [Fact]
    public async Task Filters_and_counts_by_reason()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var store = new PostgresDeadLetterStore(source);
        var twin = NewTwin();
        var other = NewTwin();
        await store.AddAsync(
        [
            DeadLetter.Of(Day1, "t", twin, DeadLetterReason.NonFinite, "a", []),
            DeadLetter.Of(Day1.AddMinutes(1), "t", other, DeadLetterReason.NonFinite, "b", []),
            DeadLetter.Of(Day1.AddMinutes(2), "t", twin, DeadLetterReason.UnknownTelemetry, "c", []),
            DeadLetter.Of(Day1.AddMinutes(3), "t", twin, DeadLetterReason.NonFinite, "d", []),
        ], Ct);

        var counts = await store.CountByReasonAsync(Ct);
        var byTwin = await store.ListAsync(new DeadLetterQuery(TwinId: other), Ct);
        var combined = await store.ListAsync(new DeadLetterQuery(twin, DeadLetterReason.NonFinite, Day1.AddMinutes(1)), Ct);

        Assert.Equal(2, counts.Count);
        Assert.Equal(3, counts[DeadLetterReason.NonFinite]);
        Assert.Equal(1, counts[DeadLetterReason.UnknownTelemetry]);
        Assert.Equal(["b"], byTwin.Items.Select(l => l.Message));
        Assert.Equal(["d"], combined.Items.Select(l => l.Message));
        Assert.Null(combined.Continuation);
    }

    [Fact]
    public async Task Retention_deletes_only_the_letters_received_before_the_cutoff()
    {
        var db = await postgres.CreateMigratedDatabaseAsync(Ct);
        await using var source = NpgsqlDataSource.Create(db);
        var store = new PostgresDeadLetterStore(source);
        await store.AddAsync(
        [
            DeadLetter.Of(Day1, "t", null, DeadLetterReason.InvalidTopic, "old", []),
            DeadLetter.Of(Day2, "t", null, DeadLetterReason.InvalidTopic, "cutoff", []),
            DeadLetter.Of(Day2.AddHours(1), "t", null, DeadLetterReason.InvalidTopic, "new", []),
        ], Ct);

        var deleted = await store.DeleteOlderThanAsync(Day2, Ct);

        Assert.Equal(1, deleted);
        Assert.Equal(["new", "cutoff"], (await store.ListAsync(new DeadLetterQuery(), Ct)).Items.Select(l => l.Message));
        Assert.Equal(2, (await store.CountByReasonAsync(Ct))[DeadLetterReason.InvalidTopic]);
    }
}
