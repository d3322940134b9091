using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;
using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Own;

/// <summary>
/// <c>/api/v1/history</c>: what twins saw, from the best history tier: a bucketed trend of features or channels
/// (as <c>twin history</c> prints it), and a twin's changes. A twin as it was at a time is
/// <c>GET /api/v1/twins/{id}?asOf=</c>. A scoped principal reads the history of its subtrees only.
/// </summary>
public static class OwnHistoryEndpoints
{
    public static RouteGroupBuilder MapOwnHistoryEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/trend", Trend).RequireTwinRead(null)
            .WithSummary("A trend {twinId | subtreeId and/or modelId, names, from, to, step? (d.hh:mm:ss)}: per twin and name, buckets of count, min, max, mean, last and tier.")
            .Produces<HistoryTrend>().ProducesProblem(400);
        group.MapGet("/{id}/changes", Changes).RequireTwinRead()
            .WithSummary("The twin's changes in [from, to) (ISO 8601), oldest first: operation, principal, before and after.").ProducesProblem(400);
        return group;
    }

    /// <summary>An ISO 8601 time (UTC unless it carries an offset), or a refusal naming the parameter.</summary>
    public static DateTimeOffset ParseTime(string text, string parameter) =>
        TryParseTime(text, out var at) ? at : throw new TwinOperationException(TwinErrorCode.Invalid, TimeProblem(text, parameter));

    /// <summary>An ISO 8601 time (without an offset: UTC), as every time parameter of the API takes it.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);

    /// <summary>What is wrong with a time parameter that <see cref="TryParseTime"/> refused.</summary>
    public static string TimeProblem(string text, string parameter) => $"{parameter} '{text}' is not an ISO 8601 time (e.g. 2026-12-01T10:00:00Z)";

    private static async Task<JsonHttpResult<HistoryTrend>> Trend(HistoryTrendQuery query, HttpContext http, IGrainFactory grains, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var readable = await ApiAccess.ReadableAsync(http);
        if (readable is not null)
        {
            // One twin or a subtree: the principal must read it; a model alone is cut to the twins it may read.
            foreach (var twin in new[] { query.TwinId, query.SubtreeId }.OfType<string>())
            {
                await ApiAccess.DemandAsync(http, SecurityOperation.Read, twin);
            }
        }

        var trend = await grains.GetGrain<IHistoryGrain>(0).Trend(query);
        if (readable is not null)
        {
            trend = trend with { Series = [.. trend.Series.Where(s => readable.Contains(s.TwinId))] };
        }

        return TypedResults.Json(trend, Numbers(json.Value.SerializerOptions));
    }

    private static async Task<Ok<ImmutableArray<HistoryChange>>> Changes(string id, DateTimeOffset from, DateTimeOffset to, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IHistoryGrain>(0).Changes(id, from, to));

    private static JsonSerializerOptions? _numbers;

    /// <summary>A bucket's statistics may be NaN (no sample of a kind): written as the JSON strings "NaN" and "Infinity".</summary>
    private static JsonSerializerOptions Numbers(JsonSerializerOptions api) =>
        _numbers ??= new JsonSerializerOptions(api) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
