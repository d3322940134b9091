using System.Collections.Immutable;
using System.Globalization;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Tests;

/// <summary>
/// One index shard's answers when a model or an equality filter lets it read only the twins posted under it: the
/// same entries, in the same order, as the filters say, after updates and removals. Each test uses a shard number of
/// its own (outside the routed range), so its twins are the only ones in it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IndexPostingsTests(ClusterFixture fixture)
{
    private const string Pump = "dtmi:test:index:Pump;1";
    private const string Valve = "dtmi:test:index:Valve;1";

    private static int _nextShard = 1_000_000 + Random.Shared.Next(1_000_000);

    private static ITwinIndexGrain NewShard(IGrainFactory grains) => grains.GetGrain<ITwinIndexGrain>(Interlocked.Increment(ref _nextShard));

    private static IndexEntry Entry(int i, string model, string properties) =>
        new(string.Create(CultureInfo.InvariantCulture, $"t{i:D4}"), model, properties, null);

    /// <summary>60 pumps (name unique, state on/off alternating, a boolean, a nested site) and 3 valves.</summary>
    private static ImmutableArray<IndexEntry> Fleet()
    {
        var entries = new List<IndexEntry>();
        for (var i = 0; i < 60; i++)
        {
            entries.Add(Entry(i, Pump, string.Create(CultureInfo.InvariantCulture,
                $$"""{"name":"pump {{i}}","state":"{{(i % 2 == 0 ? "on" : "off")}}","primed":{{(i % 3 == 0 ? "true" : "false")}},"site":{"area":"a{{i % 5}}"},"flow":{{i}}}""")));
        }

        for (var i = 60; i < 63; i++)
        {
            entries.Add(Entry(i, Valve, string.Create(CultureInfo.InvariantCulture, $$"""{"name":"valve {{i}}","state":"on"}""")));
        }

        return [.. entries];
    }

    private static ShardQuery Query(string? model, params PropertyFilter[] filters) =>
        new(model is null ? null : [model], [.. filters], null, null, 1000);

    private static PropertyFilter Eq(string path, string json) => new(path, FilterOperator.Eq, json);

    private static string[] TwinIds(ImmutableArray<IndexEntry> entries) => [.. entries.Select(e => e.TwinId)];

    [Fact]
    public async Task A_rare_model_and_a_unique_name_find_exactly_their_twins()
    {
        var shard = NewShard(fixture.Client);
        await shard.Upsert(Fleet());

        Assert.Equal(["t0060", "t0061", "t0062"], TwinIds(await shard.Query(Query(Valve))));
        Assert.Equal(["t0017"], TwinIds(await shard.Query(Query(Pump, Eq("name", "\"pump 17\"")))));
        Assert.Empty(await shard.Query(Query(Valve, Eq("name", "\"pump 17\""))));
        Assert.Empty(await shard.Query(Query(Pump, Eq("name", "\"pump 99\""))));
        // A nested path and a boolean are posted too; the other filters still apply to what they find.
        Assert.Equal(["t0000", "t0015", "t0030", "t0045"], TwinIds(await shard.Query(Query(Pump, Eq("site.area", "\"a0\""), Eq("primed", "true")))));
        Assert.Equal(["t0045", "t0050", "t0055"], TwinIds(await shard.Query(Query(null, Eq("site.area", "\"a0\""), new PropertyFilter("flow", FilterOperator.Gt, "40")))));
        // A number is compared, not posted: the same answer by the scan.
        Assert.Equal(["t0017"], TwinIds(await shard.Query(Query(Pump, Eq("flow", "17")))));
        // Equality is exact: another kind or another case is another value.
        Assert.Empty(await shard.Query(Query(null, Eq("name", "\"PUMP 17\""))));
        Assert.Empty(await shard.Query(Query(null, Eq("primed", "\"true\""))));
    }

    [Fact]
    public async Task A_changed_or_removed_twin_leaves_its_old_values()
    {
        var shard = NewShard(fixture.Client);
        await shard.Upsert(Fleet());

        await shard.Upsert([Entry(17, Pump, """{"name":"renamed","state":"on"}"""), Entry(61, Pump, """{"name":"valve 61","state":"on"}""")]);
        Assert.Empty(await shard.Query(Query(Pump, Eq("name", "\"pump 17\""))));
        Assert.Equal(["t0017"], TwinIds(await shard.Query(Query(Pump, Eq("name", "\"renamed\"")))));
        Assert.Equal(["t0060", "t0062"], TwinIds(await shard.Query(Query(Valve))));
        Assert.Equal(["t0061"], TwinIds(await shard.Query(Query(Pump, Eq("name", "\"valve 61\"")))));

        await shard.Remove(["t0017", "t0060"]);
        Assert.Empty(await shard.Query(Query(Pump, Eq("name", "\"renamed\""))));
        Assert.Equal(["t0062"], TwinIds(await shard.Query(Query(Valve))));

        // A value two twins shared, then one: the other keeps it.
        await shard.Upsert([Entry(100, Valve, """{"name":"twin"}"""), Entry(101, Valve, """{"name":"twin"}""")]);
        Assert.Equal(["t0100", "t0101"], TwinIds(await shard.Query(Query(null, Eq("name", "\"twin\"")))));
        await shard.Remove(["t0100"]);
        Assert.Equal(["t0101"], TwinIds(await shard.Query(Query(null, Eq("name", "\"twin\"")))));
    }

    [Fact]
    public async Task Pages_read_from_postings_are_the_same_as_the_filters_say_in_id_order()
    {
        var shard = NewShard(fixture.Client);
        var fleet = Fleet();
        await shard.Upsert(fleet);
        var expected = fleet.Where(e => e.ModelId == Pump && e.PropertiesJson.Contains("\"area\":\"a3\"", StringComparison.Ordinal)).Select(e => e.TwinId).ToList();

        var pages = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await shard.Query(new ShardQuery([Pump], [Eq("site.area", "\"a3\"")], null, after, 5));
            pages.AddRange(TwinIds(page));
            if (page.Length < 5)
            {
                break;
            }

            after = page[^1].TwinId;
        }

        Assert.Equal(12, expected.Count);
        Assert.Equal(expected, pages);
    }
}
