using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Dashboard.Services;

/// <summary>
/// One page's subscription to a monitored component's analysed windows: the twin calls <see cref="Analysed"/> (one
/// way) when a window is analysed, and the page reads the condition view then, never on a timer. The twin keeps its
/// watchers for a lease (<see cref="ITwinGrain.WatchCondition"/>), so this renews it at half the lease; that also
/// subscribes again to an activation that started after the last one ended. Disposing unsubscribes.
/// </summary>
public sealed class ConditionWatch : IConditionWatcher, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ITwinGrain _twin;
    private readonly Func<long, Task> _analysed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private IConditionWatcher? _reference;
    private Task? _renewal;

    private ConditionWatch(IGrainFactory grains, string twinId, Func<long, Task> analysed, TimeProvider time, ILogger logger)
    {
        _grains = grains;
        TwinId = twinId;
        _twin = grains.GetTwin(new TwinId(twinId));
        _analysed = analysed;
        _time = time;
        _logger = logger;
    }

    /// <summary>The watched twin.</summary>
    public string TwinId { get; }

    /// <summary>
    /// Subscribes to <paramref name="twinId"/>; <paramref name="analysed"/> gets the twin's count of analysed windows
    /// each time it moves on. Throws <see cref="TwinOperationException"/> when the twin does not exist.
    /// </summary>
    public static async Task<ConditionWatch> StartAsync(IGrainFactory grains, string twinId, Func<long, Task> analysed, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(analysed);
        var watch = new ConditionWatch(grains, twinId, analysed, time ?? TimeProvider.System, logger);
        watch._reference = grains.CreateObjectReference<IConditionWatcher>(watch);
        try
        {
            var lease = await watch._twin.WatchCondition(watch._reference);
            watch._renewal = watch.RenewAsync(lease);
            return watch;
        }
        catch
        {
            grains.DeleteObjectReference<IConditionWatcher>(watch._reference);
            throw;
        }
    }

    /// <inheritdoc />
    public Task Analysed(string twinId, long windowsAnalysed)
    {
        if (twinId != TwinId)
        {
            return Task.CompletedTask;
        }

        return _analysed(windowsAnalysed);
    }

    private async Task RenewAsync(TimeSpan lease)
    {
        var every = lease / 2 > TimeSpan.Zero ? lease / 2 : TimeSpan.FromSeconds(30);
        using var timer = new PeriodicTimer(every, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await _twin.WatchCondition(_reference!).WaitAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Deleted, or its silo is gone: the page hears of a deletion from the change feed; try again next time.
                    _logger.LogDebug(ex, "Dashboard: renewing the condition watch of {TwinId} failed", TwinId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_renewal is not null)
        {
            await _renewal;
        }

        if (_reference is not null)
        {
            try
            {
                await _twin.UnwatchCondition(_reference);
            }
            catch (Exception ex)
            {
                // The lease ends it anyway.
                _logger.LogDebug(ex, "Dashboard: ending the condition watch of {TwinId} failed", TwinId);
            }

            _grains.DeleteObjectReference<IConditionWatcher>(_reference);
            _reference = null;
        }

        _stop.Dispose();
    }
}
