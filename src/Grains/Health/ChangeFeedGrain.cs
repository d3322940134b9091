using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>
/// The change feed: implicitly subscribed to the change stream, it numbers each event and keeps the last
/// <see cref="HealthOptions.FeedCapacity"/> in a ring for readers that poll with a cursor. Readers wait on a
/// completion source that the next event completes (reads interleave, so many can wait at once).
/// </summary>
[ImplicitStreamSubscription(ChangeStreams.Namespace)]
public sealed class ChangeFeedGrain(IOptions<HealthOptions> options) : Grain, IChangeFeedGrain, IStreamSubscriptionObserver, IAsyncObserver<TwinChange>
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    private readonly Guid _epoch = Guid.NewGuid();
    private readonly TwinChange[] _ring = new TwinChange[options.Value.FeedCapacity];
    private long _last;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<TwinChange>().ResumeAsync(this);
    }

    public Task OnNextAsync(TwinChange item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        _last++;
        _ring[_last % _ring.Length] = item with { Seq = _last };
        var waiting = _next;
        _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.TrySetResult();
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public async Task<ChangePage> Read(Guid epoch, long after, int max, TimeSpan wait)
    {
        max = Math.Clamp(max, 1, 10_000);
        if (after < 0)
        {
            after = _last;
        }
        else if (epoch != Guid.Empty && epoch != _epoch)
        {
            // A cursor of an earlier activation: everything this one has is new to the reader.
            after = 0;
        }

        if (after >= _last && wait > TimeSpan.Zero)
        {
            var next = _next.Task;
            await Task.WhenAny(next, Task.Delay(wait < MaxWait ? wait : MaxWait));
        }

        if (after > _last)
        {
            // A cursor from an earlier epoch: start over from what this one keeps.
            after = 0;
        }

        var oldest = Math.Max(1, _last - _ring.Length + 1);
        var from = Math.Max(after + 1, oldest);
        var missed = from - (after + 1);
        var count = (int)Math.Min(max, Math.Max(0, _last - from + 1));
        var events = ImmutableArray.CreateBuilder<TwinChange>(count);
        for (var seq = from; seq < from + count; seq++)
        {
            events.Add(_ring[seq % _ring.Length]);
        }

        return new ChangePage(_epoch, events.MoveToImmutable(), count > 0 ? from + count - 1 : Math.Max(after, from - 1), missed);
    }
}
