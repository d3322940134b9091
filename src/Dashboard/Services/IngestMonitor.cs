using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TwinCluster.Dashboard.Services;

/// <summary>One second of ingest: messages taken, handed on, applied by twins, dead-lettered by reason, append latency.</summary>
public sealed record IngestSecond(DateTime At, long Received, long Accepted, long Applied, IReadOnlyDictionary<string, long> DeadLetters, double? AppendP50Ms, double? AppendMaxMs);

/// <summary>
/// The ingest page's figures from this process's own meters (the ingress's <c>TwinCluster.Ingress</c> and the twins'
/// <c>TwinCluster</c>), listened to in process: one listener for the silo, folded into one-second buckets for the last
/// <see cref="Seconds"/> seconds. Nothing is polled. An ingress that runs as its own process (cluster mode) is not
/// seen here: the page then shows what the twins of this silo applied and the stored dead letters.
/// </summary>
public sealed class IngestMonitor : IDisposable
{
    /// <summary>Seconds kept.</summary>
    public const int Seconds = 600;

    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly LinkedList<Bucket> _buckets = new();

    private sealed class Bucket(long second)
    {
        public long Second { get; } = second;
        public long Received;
        public long Accepted;
        public long Applied;
        public readonly Dictionary<string, long> DeadLetters = new(StringComparer.Ordinal);
        public readonly List<double> Append = [];
    }

    public IngestMonitor(TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is "TwinCluster.Ingress" or "TwinCluster"
                && instrument.Name is "twincluster.ingress.received" or "twincluster.ingress.accepted" or "twincluster.ingress.dead_lettered"
                    or "twincluster.telemetry.applied" or "twincluster.ingress.append.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.Start();
    }

    /// <summary>Feeds one measurement (the listener's callback; tests call it directly).</summary>
    public void Record(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var reason = "";
        foreach (var tag in tags)
        {
            if (tag.Key == "reason")
            {
                reason = tag.Value?.ToString() ?? "";
            }
        }

        lock (_lock)
        {
            var b = Current();
            switch (instrument)
            {
                case "twincluster.ingress.received": b.Received += (long)value; break;
                case "twincluster.ingress.accepted": b.Accepted += (long)value; break;
                case "twincluster.telemetry.applied": b.Applied += (long)value; break;
                case "twincluster.ingress.dead_lettered": b.DeadLetters[reason] = b.DeadLetters.GetValueOrDefault(reason) + (long)value; break;
                case "twincluster.ingress.append.duration": if (b.Append.Count < 10_000) { b.Append.Add(value); } break;
            }
        }
    }

    private Bucket Current()
    {
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        if (_buckets.Last?.Value is { } last && last.Second == second)
        {
            return last;
        }

        var b = new Bucket(second);
        _buckets.AddLast(b);
        while (_buckets.First is { } first && first.Value.Second <= second - Seconds)
        {
            _buckets.RemoveFirst();
        }

        return b;
    }

    /// <summary>The kept seconds, oldest first, with empty seconds filled in, up to the last complete second.</summary>
    public IReadOnlyList<IngestSecond> Series()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            var first = _buckets.First?.Value.Second ?? now;
            var bySecond = _buckets.ToDictionary(b => b.Second);
            var list = new List<IngestSecond>();
            for (var s = Math.Max(first, now - Seconds + 1); s < now; s++)
            {
                var at = DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime;
                if (bySecond.TryGetValue(s, out var b))
                {
                    var sorted = b.Append.Order().ToArray();
                    list.Add(new IngestSecond(at, b.Received, b.Accepted, b.Applied, new Dictionary<string, long>(b.DeadLetters),
                        sorted.Length == 0 ? null : sorted[sorted.Length / 2], sorted.Length == 0 ? null : sorted[^1]));
                }
                else
                {
                    list.Add(new IngestSecond(at, 0, 0, 0, new Dictionary<string, long>(), null, null));
                }
            }

            return list;
        }
    }

    public void Dispose() => _listener.Dispose();
}
