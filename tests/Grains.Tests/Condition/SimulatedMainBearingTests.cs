using System.Collections.Immutable;
using System.Globalization;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Simulation.Telemetry;
using TwinCluster.Grains.Condition;
using TwinCluster.Ingress.Pipeline;

namespace TwinCluster.Grains.Tests.Condition;

/// <summary>
/// The example farm's main bearing as the fleet simulator publishes it (rotor speed from the turbine model, blocks on
/// the sample clock, the speed reading in rpm) through the ingress's record conversion into a main-bearing monitor
/// with default options: what a twin of the demo sees.
/// </summary>
public sealed class SimulatedMainBearingTests(ITestOutputHelper output)
{
    private const string Properties =
        """{"bearingType":"sphericalRoller","balls":30,"ballDiameterMm":72.0,"pitchDiameterMm":760.0,"contactAngleDeg":9.5,"vibrationSampleRateHz":5120.0,"position":"single"}""";

    [Fact]
    public void The_fleet_simulators_main_bearing_develops_an_outer_race_defect_that_the_monitor_names()
    {
        var clock = new Clock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var fleet = new List<SimulatedTwin>
        {
            SimulatedTwin.FromProperties("wt-01", FleetSimulation.TurbineModel, """{"ratedPowerKW":3000}"""),
            SimulatedTwin.FromProperties("wt-01-mb", FleetSimulation.MainBearingModel, Properties, "wt-01"),
        };

        // Five 1,024-sample blocks a second: the twin's 5,120 Hz, back to back.
        var simulation = new FleetSimulation(fleet, new FleetSimulationOptions
        {
            TickRateHz = 5,
            Faults = ImmutableDictionary<string, SimulatedFault>.Empty.Add("wt-01-mb", SimulatedFault.OuterRace),
            FaultOnsetSeconds = 120,
            FaultDurationSeconds = 600,
            TimeProvider = clock,
        });
        var monitor = new ComponentMonitor(ComponentKind.MainBearing, Properties);
        var healthyAt90 = (ComponentCondition?)null;
        for (var tick = 0; tick < 5 * 360; tick++)
        {
            clock.Now = clock.Start.AddSeconds(tick / 5.0);
            var message = simulation.NextTick().Single(m => m.TwinId.Value == "wt-01-mb");
            monitor.Offer(TelemetryRecords.From(message, clock.Now));
            if (tick == 5 * 90)
            {
                healthyAt90 = monitor.Condition;
                output.WriteLine($"90 s: {healthyAt90?.Explain()}");
            }
        }

        var condition = Assert.IsType<ComponentCondition>(monitor.Condition);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"360 s, severity {simulation.Severity("wt-01-mb"):0.00}, rotor {condition.ShaftHz * 60:0.0} rpm: {condition.Explain()}"));
        Assert.NotNull(healthyAt90);
        Assert.Equal(FaultKind.Normal, healthyAt90.Fault);
        Assert.Equal(FaultKind.OuterRace, condition.Fault);
        Assert.Equal(3, condition.Harmonics);
        Assert.InRange(condition.ShaftHz * 60, 6, 16);
        Assert.Equal(0, monitor.Restarts);
    }

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
