using Microsoft.AspNetCore.Components.Server.Circuits;

namespace TwinCluster.Dashboard.Services;

/// <summary>Keeps <see cref="DashboardCircuits"/> up to date (Blazor makes one handler per circuit).</summary>
internal sealed class CircuitCounter(DashboardCircuits circuits) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Opened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Closed();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Up();
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Down();
        return Task.CompletedTask;
    }
}
