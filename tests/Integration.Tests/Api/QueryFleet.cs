using System.Text.Json.Nodes;
using Xunit;
using static TwinCluster.Integration.Tests.Api.ApiSilo;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>
/// A silo of its own holding only a small fleet, so every query has one exact answer: two sites containing pumps, a
/// motor and spare assets, pumps feeding the motor, the motor containing a rotor. Models: Site, Pump and Motor extend
/// Asset (name, rank, active, tag, spec {maker, size}; relationships contains and feeds {weight}); Pump adds flow.
/// </summary>
public sealed class QueryFleet : IAsyncLifetime
{
    public const string Asset = "dtmi:qt:Asset;1";
    public const string Pump = "dtmi:qt:Pump;1";
    public const string Motor = "dtmi:qt:Motor;1";
    public const string Site = "dtmi:qt:Site;1";

    /// <summary>Every twin of the fleet, in id order.</summary>
    public static readonly string[] Twins = ["asset-1", "motor-1", "part-1", "pump-1", "pump-2", "pump-3", "site-a", "site-b"];

    private static readonly (string Id, string Model, string Properties)[] Fleet =
    [
        ("site-a", Site, """{"name":"Site A","rank":0,"active":true}"""),
        ("site-b", Site, """{"name":"Site B","rank":0,"active":false}"""),
        ("pump-1", Pump, """{"name":"Pump one","rank":1,"active":true,"flow":10.5,"tag":"north","spec":{"maker":"Acme","size":2.5}}"""),
        ("pump-2", Pump, """{"name":"Pump two","rank":2,"active":false,"flow":20,"spec":{"maker":"Bolt","size":4}}"""),
        ("pump-3", Pump, """{"name":"Pump three","rank":3,"active":true,"flow":30}"""),
        ("motor-1", Motor, """{"name":"Motor one","rank":2,"active":true,"tag":"south"}"""),
        ("part-1", Asset, """{"name":"Rotor","rank":4,"active":true}"""),
        ("asset-1", Asset, """{"name":"Spare","rank":5,"active":false}"""),
    ];

    private static readonly (string Source, string Id, string Name, string Target, string Properties)[] Relationships =
    [
        ("site-a", "c-p1", "contains", "pump-1", ""),
        ("site-a", "c-p2", "contains", "pump-2", ""),
        ("site-a", "c-m1", "contains", "motor-1", ""),
        ("site-b", "c-p3", "contains", "pump-3", ""),
        ("site-b", "c-a1", "contains", "asset-1", ""),
        ("motor-1", "c-r1", "contains", "part-1", ""),
        ("pump-1", "f-1", "feeds", "motor-1", ""","weight":0.5"""),
        ("pump-2", "f-2", "feeds", "motor-1", ""","weight":1.5"""),
    ];

    public ApiSilo Api { get; } = new();

    public async ValueTask InitializeAsync()
    {
        try
        {
            await Api.InitializeAsync();
            await CreateFleetAsync();
        }
        catch
        {
            // xunit v3 does not dispose a fixture whose set-up failed: stop the silo here, or it outlives the run.
            await Api.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();

    private async Task CreateFleetAsync()
    {
        var models = $$$"""
            [{"@context":"dtmi:dtdl:context;3","@type":"Interface","@id":"{{{Asset}}}","contents":[
               {"@type":"Property","name":"name","schema":"string","writable":true},
               {"@type":"Property","name":"rank","schema":"integer","writable":true},
               {"@type":"Property","name":"active","schema":"boolean","writable":true},
               {"@type":"Property","name":"tag","schema":"string","writable":true},
               {"@type":"Property","name":"spec","writable":true,"schema":{"@type":"Object","fields":[{"name":"maker","schema":"string"},{"name":"size","schema":"double"}]}},
               {"@type":"Relationship","name":"contains"},
               {"@type":"Relationship","name":"feeds","properties":[{"@type":"Property","name":"weight","schema":"double"}]}]},
             {"@context":"dtmi:dtdl:context;3","@type":"Interface","@id":"{{{Pump}}}","extends":"{{{Asset}}}","contents":[{"@type":"Property","name":"flow","schema":"double","writable":true}]},
             {"@context":"dtmi:dtdl:context;3","@type":"Interface","@id":"{{{Motor}}}","extends":"{{{Asset}}}"},
             {"@context":"dtmi:dtdl:context;3","@type":"Interface","@id":"{{{Site}}}","extends":"{{{Asset}}}"}]
            """;
        var (status, body, _) = await Api.SendAsync(HttpMethod.Post, $"/models?{ApiVersion}", models);
        Assert.True(status == 201, $"fleet models: {status} {body}");
        foreach (var (id, model, properties) in Fleet)
        {
            var twin = JsonNode.Parse(properties)!.AsObject();
            twin["$metadata"] = new JsonObject { ["$model"] = model };
            (status, body, _) = await Api.SendAsync(HttpMethod.Put, $"/digitaltwins/{id}?{ApiVersion}", twin.ToJsonString());
            Assert.True(status == 200, $"twin {id}: {status} {body}");
        }

        foreach (var (source, id, name, target, properties) in Relationships)
        {
            (status, body, _) = await Api.SendAsync(HttpMethod.Put, $"/digitaltwins/{source}/relationships/{id}?{ApiVersion}",
                $$"""{"$relationshipName":"{{name}}","$targetId":"{{target}}"{{properties}}}""");
            Assert.True(status == 200, $"relationship {source}/{id}: {status} {body}");
        }
    }

    /// <summary>Runs a query to its last page with <c>max-items-per-page</c>, checking every page's size; the rows of all pages.</summary>
    public async Task<List<JsonObject>> QueryAllAsync(string query, int pageSize)
    {
        var rows = new List<JsonObject>();
        var request = new JsonObject { ["query"] = query };
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 100, $"more than 100 pages for {query}");
            var (status, body, _) = await Api.SendAsync(HttpMethod.Post, $"/query?{ApiVersion}", request.ToJsonString(),
                r => r.Headers.Add("max-items-per-page", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.True(status == 200, $"{query}: {status} {body}");
            var value = body!["value"]!.AsArray();
            Assert.True(value.Count <= pageSize, $"a page of {value.Count} rows for max-items-per-page {pageSize}");
            rows.AddRange(value.Select(v => v!.AsObject()));
            if ((string?)body["continuationToken"] is not { } token)
            {
                return rows;
            }

            request = new JsonObject { ["continuationToken"] = token };
        }
    }

    /// <summary>
    /// A row as text: a whole twin as its $dtId, a whole relationship as its $relationshipId, otherwise its columns
    /// in order as name=value (a twin or relationship column by its id, a string bare, anything else as JSON).
    /// </summary>
    public static string Render(JsonObject row)
    {
        if (Id(row) is { } id)
        {
            return id;
        }

        return row.Count == 0 ? "{}" : string.Join(",", row.Select(c => $"{c.Key}={Value(c.Value)}"));

        static string? Id(JsonObject o) => o["$dtId"] is JsonValue twin ? (string?)twin
            : o["$relationshipId"] is JsonValue relationship && o.ContainsKey("$sourceId") ? (string?)relationship : null;

        static string Value(JsonNode? value) => value switch
        {
            JsonObject o => Id(o) ?? o.ToJsonString(),
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
            null => "null",
            _ => value!.ToJsonString(),
        };
    }
}
