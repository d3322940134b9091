using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Services;

/// <summary>
/// The one subscription of a circuit to the change feed: a long-poll loop over <see cref="IChangeFeedGrain.Read"/>
/// (as the API's Server-Sent Events do) that starts with the first listener and stops with the circuit. Pages listen
/// through <see cref="Subscribe"/> and update what they show; nobody polls twins. Events the user may not read are dropped here.
/// </summary>
public sealed class LiveChanges(IGrainFactory grains, DashboardUser user, ILogger<LiveChanges> logger) : IAsyncDisposable
{
    private const int PageSize = 512;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private Func<IReadOnlyList<TwinChange>, Task>? _listeners;

    /// <summary>Pages received so far (for the benchmark and tests).</summary>
    public long Pages { get; private set; }

    /// <summary>Changes delivered so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>When the feed says events were missed: the count (pages should reload).</summary>
    public event Func<long, Task>? Missed;

    /// <summary>Adds a listener and starts the loop if it is not running.</summary>
    public void Subscribe(Func<IReadOnlyList<TwinChange>, Task> listener)
    {
        _listeners += listener;
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Removes a listener (the loop keeps running for the circuit).</summary>
    public void Unsubscribe(Func<IReadOnlyList<TwinChange>, Task> listener) => _listeners -= listener;

    private async Task RunAsync(CancellationToken ct)
    {
        var feed = grains.GetGrain<IChangeFeedGrain>(ChangeStreams.Key);
        var epoch = Guid.Empty;
        var after = -1L;
        while (!ct.IsCancellationRequested)
        {
            ChangePage page;
            try
            {
                page = await feed.Read(epoch, after, PageSize, epoch == Guid.Empty ? TimeSpan.Zero : TimeSpan.FromSeconds(15)).WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Dashboard: change feed read failed; retrying");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var restarted = epoch != Guid.Empty && (page.Epoch != epoch || page.Missed > 0);
            epoch = page.Epoch;
            after = page.Next;
            Pages++;
            if (restarted && Missed is { } missed)
            {
                await Safe(() => missed(page.Missed));
            }

            if (page.Events.IsEmpty || _listeners is not { } listeners)
            {
                continue;
            }

            var readable = await user.ReadableAsync();
            var events = readable is null ? page.Events : [.. page.Events.Where(e => readable.Contains(e.TwinId))];
            if (events.IsEmpty)
            {
                continue;
            }

            Delivered += events.Length;
            foreach (var listener in listeners.GetInvocationList().Cast<Func<IReadOnlyList<TwinChange>, Task>>())
            {
                await Safe(() => listener(events));
            }
        }
    }

    private async Task Safe(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dashboard: a page failed to apply live changes");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }
}
