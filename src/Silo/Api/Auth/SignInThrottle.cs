using System.Collections.Concurrent;
using System.Net;

namespace TwinCluster.Silo.Api.Auth;

/// <summary>
/// Counts failed sign-ins per source address in one-minute windows. Past <see cref="ApiOptions.FailedSignInsPerMinute"/>
/// the source is blocked until its window ends: guessing tokens from one place costs a minute per few tries.
/// </summary>
public sealed class SignInThrottle(ApiOptions options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Counter> _sources = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="source"/> is blocked, with how long it stays so.</summary>
    public bool IsBlocked(IPAddress? source, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_sources.TryGetValue(Key(source), out var counter))
        {
            return false;
        }

        lock (counter)
        {
            var now = time.GetUtcNow();
            if (now - counter.Start >= Window || counter.Failures < options.FailedSignInsPerMinute)
            {
                return false;
            }

            retryAfter = counter.Start + Window - now;
            return true;
        }
    }

    /// <summary>Records a failed sign-in from <paramref name="source"/>.</summary>
    public void Failed(IPAddress? source)
    {
        var now = time.GetUtcNow();
        if (_sources.Count > 100_000)
        {
            // A flood of sources: forget the windows that are over.
            foreach (var (key, old) in _sources)
            {
                if (now - old.Start >= Window)
                {
                    _sources.TryRemove(key, out _);
                }
            }
        }

        var counter = _sources.GetOrAdd(Key(source), _ => new Counter { Start = now });
        lock (counter)
        {
            if (now - counter.Start >= Window)
            {
                counter.Start = now;
                counter.Failures = 0;
            }

            counter.Failures++;
        }
    }

    private static string Key(IPAddress? source) => source?.ToString() ?? "unknown";

    private sealed class Counter
    {
        public DateTimeOffset Start;
        public int Failures;
    }
}
