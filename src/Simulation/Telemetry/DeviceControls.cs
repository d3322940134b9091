using System.Collections.Concurrent;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// What operators told the simulated turbines (thread-safe: commands arrive on MQTT threads, the simulation reads
/// them on each tick): stopped or running, and a power cap. A stopped turbine spins down over
/// <see cref="SpinTimeConstantSeconds"/>: shaft speeds fall with it and power with its cube.
/// </summary>
public sealed class DeviceControls
{
    private readonly ConcurrentDictionary<string, Control> _controls = new(StringComparer.Ordinal);

    /// <summary>Time constant of spinning down and up again, in seconds.</summary>
    public double SpinTimeConstantSeconds { get; init; } = 8;

    /// <summary>Stops (true) or starts (false) a turbine.</summary>
    public void SetStopped(string turbineId, bool stopped) => _controls.AddOrUpdate(turbineId, _ => new Control(stopped, null), (_, c) => c with { Stopped = stopped });

    /// <summary>Caps a turbine's power (null: no cap).</summary>
    public void SetPowerLimit(string turbineId, double? maxPowerKw) => _controls.AddOrUpdate(turbineId, _ => new Control(false, maxPowerKw), (_, c) => c with { MaxPowerKw = maxPowerKw });

    /// <summary>True when the turbine was told to stop.</summary>
    public bool IsStopped(string turbineId) => _controls.TryGetValue(turbineId, out var c) && c.Stopped;

    /// <summary>The turbine's power cap, or null.</summary>
    public double? PowerLimit(string turbineId) => _controls.TryGetValue(turbineId, out var c) ? c.MaxPowerKw : null;

    private sealed record Control(bool Stopped, double? MaxPowerKw);
}
