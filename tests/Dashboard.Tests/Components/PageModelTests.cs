using System.Collections.Immutable;
using System.Text.Json.Nodes;
using TwinCluster.Dashboard.Services;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Tests.Components;

public sealed class PageModelTests
{
    [Fact]
    public void Edited_properties_become_one_replace_per_changed_value()
    {
        var rows = TwinProperties.Rows("""{"name":"WT01","hubHeightM":90.0,"$metadata":{},"a/b":1}""");
        Assert.Equal(["a/b", "hubHeightM", "name"], rows.Select(r => r.Name));

        rows.Single(r => r.Name == "hubHeightM").Edited = "95";
        rows.Single(r => r.Name == "name").Edited = "WT01 east";   // typed without quotes: a string
        rows.Single(r => r.Name == "a/b").Edited = "2";
        var (patch, error) = TwinProperties.Patch(rows);

        Assert.Null(error);
        var ops = JsonNode.Parse(patch!)!.AsArray();
        Assert.Equal(3, ops.Count);
        Assert.Contains(ops, o => o!["path"]!.GetValue<string>() == "/hubHeightM" && o["value"]!.GetValue<double>() == 95);
        Assert.Contains(ops, o => o!["path"]!.GetValue<string>() == "/name" && o["value"]!.GetValue<string>() == "WT01 east");
        Assert.Contains(ops, o => o!["path"]!.GetValue<string>() == "/a~1b");
    }

    [Fact]
    public void Broken_json_is_refused_naming_the_property_and_no_change_is_no_patch()
    {
        var rows = TwinProperties.Rows("""{"location":{"lat":1}}""");
        Assert.Equal((null, "nothing changed"), TwinProperties.Patch(rows));

        rows[0].Edited = "{\"lat\": ";
        var (patch, error) = TwinProperties.Patch(rows);
        Assert.Null(patch);
        Assert.Equal("location: not valid JSON", error);
    }

    [Fact]
    public void Uploads_are_split_per_file_and_element_and_problems_name_the_file()
    {
        var (documents, problems) = ModelCatalog.Split([
            ("one.json", """{"@id":"dtmi:x:A;1"}"""),
            ("two.json", """[{"@id":"dtmi:x:B;1"},{"@id":"dtmi:x:C;1"}]"""),
            ("bad.json", "{ not json"),
        ]);

        Assert.Equal(["one.json", "two.json[0]", "two.json[1]"], documents.Select(d => d.Where));
        var bad = Assert.Single(problems);
        Assert.Equal(("bad.json", "$", "invalid-json"), (bad.File, bad.Path, bad.Code));

        var result = new ModelUploadResult([], [new ModelIssue("unknown-schema", "schema dtmi:x:Z;1 is not defined", "contents[2].schema", ModelUploadResult.DocumentName(2))]);
        var named = Assert.Single(ModelCatalog.Problems(documents, result));
        Assert.Equal(("two.json[1]", "contents[2].schema"), (named.File, named.Path));
    }

    [Fact]
    public void Extends_is_read_as_a_string_an_array_or_inline_interfaces()
    {
        Assert.Equal(["dtmi:x:Base;1"], ModelCatalog.Extends("""{"extends":"dtmi:x:Base;1"}"""));
        Assert.Equal(["dtmi:x:A;1", "dtmi:x:B;1"], ModelCatalog.Extends("""{"extends":["dtmi:x:A;1",{"@id":"dtmi:x:B;1","@type":"Interface"}]}"""));
        Assert.Empty(ModelCatalog.Extends("""{"@id":"dtmi:x:C;1"}"""));
    }

    [Fact]
    public void Query_rows_become_a_table_with_the_twin_id_first()
    {
        var table = QueryTable.From(["""{"name":"a","$dtId":"wt-01"}""", """{"$dtId":"wt-02","power":3.5}""", """{"COUNT":2}"""]);

        Assert.Equal(["$dtId", "name", "power", "COUNT"], table.Columns);
        Assert.Equal(["wt-02", "", "3.5", ""], table.Rows[1]);
        Assert.Equal("2", table.Rows[2][3]);
    }

    [Fact]
    public void Ingest_measurements_fold_into_seconds_by_reason()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        using var monitor = new IngestMonitor(time);
        monitor.Record("twincluster.ingress.received", 5, []);
        monitor.Record("twincluster.ingress.dead_lettered", 1, [new("reason", "unknown-twin")]);
        monitor.Record("twincluster.ingress.append.duration", 2.5, []);
        time.Advance(TimeSpan.FromSeconds(1));
        monitor.Record("twincluster.ingress.received", 7, []);
        monitor.Record("twincluster.ingress.dead_lettered", 2, [new("reason", "malformed")]);
        time.Advance(TimeSpan.FromSeconds(2));

        var series = monitor.Series();
        Assert.Equal([5L, 7L, 0L], series.Select(s => s.Received));
        Assert.Equal(1, series[0].DeadLetters["unknown-twin"]);
        Assert.Equal(2, series[1].DeadLetters["malformed"]);
        Assert.Equal(2.5, series[0].AppendP50Ms);
        Assert.Null(series[2].AppendP50Ms);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
