using TwinCluster.Wire;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// Drives a <see cref="FleetSimulation"/> into a <see cref="MqttTelemetryPublisher"/>: one tick at a time, paced to
/// <see cref="FleetSimulationOptions.TickRateHz"/> (or as fast as the broker acknowledges), with publications
/// pipelined. At most <see cref="MaxPending"/> messages wait for their PUBACK; past that, generation waits, so a
/// broker outage slows the simulation down instead of filling memory.
/// </summary>
public sealed class TelemetryPump
{
    private readonly FleetSimulation _simulation;
    private readonly MqttTelemetryPublisher _publisher;
    private readonly WireFormat _format;
    private readonly Queue<Task> _pending = new();
    private Exception? _failure;

    /// <summary>Creates a pump; nothing runs until <see cref="RunAsync"/>.</summary>
    public TelemetryPump(FleetSimulation simulation, MqttTelemetryPublisher publisher, WireFormat format)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(publisher);
        _simulation = simulation;
        _publisher = publisher;
        _format = format;
    }

    /// <summary>Messages generated but not yet acknowledged before generation waits (default 4,096).</summary>
    public int MaxPending { get; init; } = 4096;

    /// <summary>Pace the ticks to the simulation's tick rate (default); false runs as fast as acknowledgements allow.</summary>
    public bool Paced { get; init; } = true;

    /// <summary>
    /// How long outstanding messages may wait for their PUBACK once generation has ended; infinite by default, so
    /// only the drain token limits it.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Clock for pacing.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Messages generated so far.</summary>
    public long Generated { get; private set; }

    /// <summary>Messages generated and not yet completed (acknowledged or failed).</summary>
    public int Pending
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count(t => !t.IsCompleted);
            }
        }
    }

    /// <summary>
    /// Generates <paramref name="ticks"/> ticks (0: until <paramref name="stop"/>) and publishes them, then waits for
    /// every outstanding acknowledgement until <paramref name="drain"/> is cancelled or <see cref="DrainTimeout"/>
    /// passes. Publications still unacknowledged then are given up. Returns true when every
    /// generated message was acknowledged. Throws the first <see cref="MqttPublishRejectedException"/> met.
    /// </summary>
    public async Task<bool> RunAsync(long ticks, CancellationToken stop, CancellationToken drain)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        using var drainLimit = CancellationTokenSource.CreateLinkedTokenSource(drain);
        var start = TimeProvider.GetTimestamp();
        var tickSeconds = 1 / _simulation.Options.TickRateHz;
        try
        {
            for (long tick = 0; (ticks == 0 || tick < ticks) && !stop.IsCancellationRequested; tick++)
            {
                if (Paced && tick > 0)
                {
                    var due = TimeSpan.FromSeconds(tick * tickSeconds) - TimeProvider.GetElapsedTime(start);
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due, TimeProvider, stop);
                    }
                }

                foreach (var message in _simulation.NextTick())
                {
                    await MakeRoomAsync(stop);
                    ThrowIfFailed();
                    var publication = PublishAsync(message, drainLimit.Token);
                    lock (_pending)
                    {
                        _pending.Enqueue(publication);
                    }

                    Generated++;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stop asked for: fall through to draining what is in flight.
        }

        if (DrainTimeout != Timeout.InfiniteTimeSpan)
        {
            drainLimit.CancelAfter(DrainTimeout);
        }

        Task[] outstanding;
        lock (_pending)
        {
            outstanding = [.. _pending];
            _pending.Clear();
        }

        try
        {
            await Task.WhenAll(outstanding).WaitAsync(drainLimit.Token);
        }
        catch (OperationCanceledException) when (drainLimit.IsCancellationRequested)
        {
            return false;
        }

        ThrowIfFailed();
        return true;
    }

    private async Task PublishAsync(TelemetryMessage message, CancellationToken drain)
    {
        try
        {
            await _publisher.PublishAsync(message, _format, drain);
        }
        catch (MqttPublishRejectedException ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            // Given up on: counted as unacknowledged by the caller.
        }
    }

    private async Task MakeRoomAsync(CancellationToken stop)
    {
        while (true)
        {
            Task oldest;
            lock (_pending)
            {
                while (_pending.Count > 0 && _pending.Peek().IsCompleted)
                {
                    _pending.Dequeue();
                }

                if (_pending.Count < MaxPending)
                {
                    return;
                }

                oldest = _pending.Peek();
            }

            await oldest.WaitAsync(stop);
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw failure;
        }
    }
}
