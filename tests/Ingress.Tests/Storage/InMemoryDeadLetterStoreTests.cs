using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests.Storage;

public sealed class InMemoryDeadLetterStoreTests
{
    private static readonly TwinId Other = new("wt-02-mb");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DeadLetter Letter(int minute, DeadLetterReason reason = DeadLetterReason.MalformedJson, TwinId? twin = null) =>
        DeadLetter.Of(Samples.Now.AddMinutes(minute), $"twins/{(twin ?? Samples.Twin).Value}/telemetry", twin ?? Samples.Twin,
            reason, $"letter {minute}", [(byte)'{', (byte)minute]);

    [Fact]
    public async Task Listing_is_newest_first_and_pages_through_everything_once()
    {
        var store = new InMemoryDeadLetterStore();
        await store.AddAsync([.. Enumerable.Range(0, 7).Select(i => Letter(i))], Ct);

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
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"letter {i}"), seen);
    }

    [Fact]
    public async Task Letters_with_the_same_arrival_time_page_without_loss_or_repeat()
    {
        var store = new InMemoryDeadLetterStore();
        await store.AddAsync([.. Enumerable.Range(0, 5).Select(_ => Letter(0))], Ct);

        var first = await store.ListAsync(new DeadLetterQuery(PageSize: 2), Ct);
        var second = await store.ListAsync(new DeadLetterQuery(PageSize: 2, Continuation: first.Continuation), Ct);
        var third = await store.ListAsync(new DeadLetterQuery(PageSize: 2, Continuation: second.Continuation), Ct);

        Assert.Equal([2, 2, 1], new[] { first.Items.Count, second.Items.Count, third.Items.Count });
        Assert.Null(third.Continuation);
    }

    [Fact]
    public async Task Filters_by_twin_reason_and_since_combine()
    {
        var store = new InMemoryDeadLetterStore();
        await store.AddAsync(
        [
            Letter(1, DeadLetterReason.NonFinite), Letter(2, DeadLetterReason.TooLarge), Letter(3, DeadLetterReason.NonFinite, Other),
            Letter(4, DeadLetterReason.NonFinite),
        ], Ct);

        var byTwin = await store.ListAsync(new DeadLetterQuery(TwinId: Other), Ct);
        var byReason = await store.ListAsync(new DeadLetterQuery(Reason: DeadLetterReason.NonFinite), Ct);
        var all = await store.ListAsync(
            new DeadLetterQuery(Samples.Twin, DeadLetterReason.NonFinite, Samples.Now.AddMinutes(2)), Ct);

        Assert.Equal(["letter 3"], byTwin.Items.Select(l => l.Message));
        Assert.Equal(["letter 4", "letter 3", "letter 1"], byReason.Items.Select(l => l.Message));
        Assert.Equal(["letter 4"], all.Items.Select(l => l.Message));
    }

    [Fact]
    public async Task Counts_are_per_reason()
    {
        var store = new InMemoryDeadLetterStore();
        await store.AddAsync([Letter(1, DeadLetterReason.NonFinite), Letter(2, DeadLetterReason.NonFinite), Letter(3, DeadLetterReason.UnknownTwin)], Ct);

        var counts = await store.CountByReasonAsync(Ct);

        Assert.Equal(2, counts.Count);
        Assert.Equal(2, counts[DeadLetterReason.NonFinite]);
        Assert.Equal(1, counts[DeadLetterReason.UnknownTwin]);
    }

    [Fact]
    public async Task Only_the_first_KiB_of_the_payload_is_kept_and_the_size_is_the_full_one()
    {
        var store = new InMemoryDeadLetterStore();
        var payload = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        var byHand = new DeadLetter(Samples.Now, "twins/x/telemetry", null, DeadLetterReason.InvalidTopic, "by hand", payload, payload.Length);

        await store.AddAsync([DeadLetter.Of(Samples.Now, "t", null, DeadLetterReason.TooLarge, "big", payload), byHand], Ct);

        var items = (await store.ListAsync(new DeadLetterQuery(), Ct)).Items;
        Assert.All(items, l => Assert.Equal(payload.AsSpan(0, DeadLetter.MaxPrefixBytes).ToArray(), l.PayloadPrefix.ToArray()));
        Assert.All(items, l => Assert.Equal(3000, l.Size));
    }

    [Fact]
    public async Task The_capacity_drops_the_oldest_letters()
    {
        var store = new InMemoryDeadLetterStore(capacity: 2);

        await store.AddAsync([Letter(1), Letter(2), Letter(3)], Ct);

        Assert.Equal(["letter 3", "letter 2"], (await store.ListAsync(new DeadLetterQuery(), Ct)).Items.Select(l => l.Message));
        Assert.Equal(2, (await store.CountByReasonAsync(Ct))[DeadLetterReason.MalformedJson]);
    }

    [Fact]
    public async Task A_malformed_continuation_is_refused()
    {
        var store = new InMemoryDeadLetterStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync(new DeadLetterQuery(Continuation: "nonsense"), Ct));
    }
}
