using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Own;

/// <summary>
/// <c>/api/v1/changes</c>: live health and alert changes as Server-Sent Events, from the change feed. Each event's id
/// is <c>epoch:seq</c>, so a client reconnecting with <c>Last-Event-ID</c> resumes where it was; when the feed no
/// longer keeps what it missed (or restarted), a <c>missed</c> event says how many.
/// </summary>
public static class OwnChangeEndpoints
{
    private const int PageSize = 256;

    public static RouteGroupBuilder MapOwnChangeEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("", Stream).RequireTwinRead(null)
            .WithSummary("Server-Sent Events of changes: under=twin keeps a subtree's, kind=raised,cleared,… some kinds; Last-Event-ID resumes.")
            .Produces<ChangeDto>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(400);
        return group;
    }

    private static ServerSentEventsResult<object> Stream(string? under, string? kind, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        // A scoped principal sees the changes of its subtrees only (a change carries its twin's containment path).
        var principal = ApiPrincipal.Of(request.HttpContext);
        Func<TwinChange, bool> visible = principal.IsUnscoped ? _ => true : c => principal.Scopes.Any(s => c.TwinId == s || c.IsUnder(s));
        var kinds = ParseKinds(kind);
        var (epoch, after) = ParseCursor(request.Headers["Last-Event-ID"].ToString());
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return TypedResults.ServerSentEvents(Read(grains.GetGrain<IChangeFeedGrain>(ChangeStreams.Key), under, kinds, visible, epoch, after, ct));
    }

    private static async IAsyncEnumerable<SseItem<object>> Read(IChangeFeedGrain feed, string? under, HashSet<TwinChangeKind>? kinds, Func<TwinChange, bool> visible, Guid epoch, long after,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var resuming = epoch != Guid.Empty;
        // A first read that returns at once tells the client the stream is open (and the feed's epoch).
        var page = await feed.Read(epoch, after, PageSize, TimeSpan.Zero);
        yield return new SseItem<object>(new { epoch = page.Epoch, cursor = page.Next }, "open") { EventId = Id(page.Epoch, resuming ? page.Next : page.Next) };
        while (!ct.IsCancellationRequested)
        {
            if (page.Missed > 0)
            {
                var reason = page.Epoch != epoch && resuming ? "the change feed restarted" : "the change feed no longer keeps them";
                yield return new SseItem<object>(new MissedDto(page.Missed, reason), "missed") { EventId = Id(page.Epoch, page.Next) };
            }

            foreach (var change in page.Events)
            {
                if ((kinds is null || kinds.Contains(change.Kind)) && (under is null || change.IsUnder(under)) && visible(change))
                {
                    yield return new SseItem<object>(ChangeDto.From(change), ChangeDto.KindName(change.Kind)) { EventId = Id(page.Epoch, change.Seq) };
                }
            }

            epoch = page.Epoch;
            after = page.Next;
            resuming = true;
            try
            {
                page = await feed.Read(epoch, after, PageSize, TimeSpan.FromSeconds(15)).WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (page.Events.IsEmpty && page.Missed == 0)
            {
                // Nothing for 15 s: a comment-like heartbeat keeps proxies from closing the stream.
                yield return new SseItem<object>(new { cursor = page.Next }, "heartbeat") { EventId = Id(page.Epoch, page.Next) };
            }
        }
    }

    private static string Id(Guid epoch, long seq) => epoch.ToString("N") + ":" + seq.ToString(CultureInfo.InvariantCulture);

    private static (Guid Epoch, long After) ParseCursor(string lastEventId)
    {
        if (lastEventId.Length == 0)
        {
            return (Guid.Empty, -1);
        }

        var parts = lastEventId.Split(':');
        return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var epoch) && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? (epoch, seq)
            : throw new TwinOperationException(TwinErrorCode.Invalid, $"Last-Event-ID '{lastEventId}' is not an id this stream sent (epoch:seq)");
    }

    private static HashSet<TwinChangeKind>? ParseKinds(string? kind)
    {
        if (string.IsNullOrWhiteSpace(kind))
        {
            return null;
        }

        var names = Enum.GetValues<TwinChangeKind>().ToDictionary(ChangeDto.KindName, k => k, StringComparer.OrdinalIgnoreCase);
        return [.. kind.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => names.TryGetValue(n, out var k)
            ? k
            : throw new TwinOperationException(TwinErrorCode.Invalid, $"kind '{n}': use one of {string.Join(", ", names.Keys)}"))];
    }
}
