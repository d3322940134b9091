using System.Text;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>One Server-Sent Event: its type, id and data.</summary>
public sealed record SseEvent(string? Event, string? Id, string Data);

/// <summary>A minimal text/event-stream reader for the tests (fields event, id, data; blank line ends an event).</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        _reader = new StreamReader(stream, Encoding.UTF8);
    }

    public static async Task<SseReader> OpenAsync(HttpClient http, string path, string? lastEventId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {await response.Content.ReadAsStringAsync(ct)}");
        }

        return new SseReader(response, await response.Content.ReadAsStreamAsync(ct));
    }

    /// <summary>The next event that reports a change (skips the stream's open and heartbeat events).</summary>
    public async Task<SseEvent> NextChangeAsync(CancellationToken ct)
    {
        while (true)
        {
            var next = await NextAsync(ct);
            if (next.Event is not ("open" or "heartbeat"))
            {
                return next;
            }
        }
    }

    public async Task<SseEvent> NextAsync(CancellationToken ct)
    {
        string? type = null, id = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (data.Length > 0 || type is not null)
                {
                    return new SseEvent(type, id, data.ToString());
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "data": data.Append(data.Length > 0 ? "\n" : "").Append(value); break;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
