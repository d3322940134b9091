using System.Text.Json;
using TwinCluster.Simulation.Telemetry;
using TwinCluster.Wire;

namespace TwinCluster.Client.Tests;

public sealed class SimulatedDeviceTests
{
    private static double Scalar(FleetSimulation simulation, string twin, string channel, int ticks)
    {
        var last = double.NaN;
        for (var i = 0; i < ticks; i++)
        {
            last = simulation.NextTick().Single(m => m.TwinId.Value == twin).Find(channel)!.Values.Span[0];
        }

        return last;
    }

    [Fact]
    public void A_stopped_turbine_spins_down_and_its_power_falls_and_its_components_shafts_with_it()
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { TickRateHz = 2, Seed = 7 });
        var device = new SimulatedDeviceBehaviour(simulation.Controls);
        var rotor = Scalar(simulation, "wt-01", "rotorSpeed", 60);
        var power = simulation.NextTick().Single(m => m.TwinId.Value == "wt-01").Find("power")!.Values.Span[0];
        Assert.True(rotor > 5 && power > 100, $"the turbine should be producing first ({rotor} rpm, {power} kW)");

        Assert.Equal(200, device.Command("wt-01", "stop", "c1", null).Status);
        var stopped = Scalar(simulation, "wt-01", "rotorSpeed", 60);   // 30 s, about four time constants
        var stoppedPower = simulation.NextTick().Single(m => m.TwinId.Value == "wt-01").Find("power")!.Values.Span[0];
        var gearboxOut = simulation.NextTick().Single(m => m.TwinId.Value == "wt-01-gbx").Find("outputSpeed")!.Values.Span[0];
        Assert.True(stopped < rotor * 0.1, $"rotor {rotor} → {stopped} rpm");
        Assert.True(stoppedPower < power * 0.01, $"power {power} → {stoppedPower} kW");
        Assert.True(gearboxOut < 100, $"gearbox output still {gearboxOut} rpm");

        device.Command("wt-01", "start", "c2", null);
        Assert.True(Scalar(simulation, "wt-01", "rotorSpeed", 80) > rotor * 0.5, "a started turbine spins up again");
    }

    [Fact]
    public void A_curtailed_turbine_produces_at_most_its_cap_and_a_repeated_id_is_done_once()
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { TickRateHz = 2, Seed = 3 });
        var device = new SimulatedDeviceBehaviour(simulation.Controls);
        var first = device.Command("wt-01", "curtail", "c1", """{"maxPowerKW":250}""");
        var again = device.Command("wt-01", "curtail", "c1", """{"maxPowerKW":250}""");
        Assert.Equal(first, again);
        Assert.Equal(1, device.Executed);
        Assert.Equal(250, JsonDocument.Parse(first.Payload).RootElement.GetProperty("maxPowerKW").GetDouble());
        for (var i = 0; i < 40; i++)
        {
            Assert.True(simulation.NextTick().Single(m => m.TwinId.Value == "wt-01").Find("power")!.Values.Span[0] <= 250.0001);
        }

        Assert.Equal(400, device.Command("wt-01", "curtail", "c2", """{"maxPowerKW":-1}""").Status);
        Assert.Equal(404, device.Command("wt-01", "explode", "c3", null).Status);
    }

    [Fact]
    public void A_desired_power_cap_is_applied_and_acknowledged_with_its_version()
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { TickRateHz = 2 });
        var device = new SimulatedDeviceBehaviour(simulation.Controls);
        using var ack = JsonDocument.Parse(device.Desired("wt-01", """{"$version":4,"maxPowerKW":400,"name":"WT01"}""")!);
        var power = ack.RootElement.GetProperty("maxPowerKW");
        Assert.Equal((400.0, 200, 4L), (power.GetProperty("value").GetDouble(), power.GetProperty("ac").GetInt32(), power.GetProperty("av").GetInt64()));
        Assert.Equal(400, simulation.Controls.PowerLimit("wt-01"));
        using var refused = JsonDocument.Parse(device.Desired("wt-01", """{"$version":5,"maxPowerKW":"lots"}""")!);
        Assert.Equal(400, refused.RootElement.GetProperty("maxPowerKW").GetProperty("ac").GetInt32());
    }

    [Fact]
    public void A_desired_sample_rate_resamples_the_bearings_blocks_keeping_their_duration_and_an_impossible_one_is_refused_naming_it()
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { TickRateHz = 25, BlockSize = 1024 });
        var device = new SimulatedDeviceBehaviour(simulation.Controls);
        TelemetryMessage Bearing() => simulation.NextTick().Single(m => m.TwinId.Value == "wt-01-mb");
        var before = Bearing();
        Assert.Equal((20_000.0, 1024), (before.SampleRateHz!.Value, before.Find("vibration")!.Values.Length));

        using var ack = JsonDocument.Parse(device.Desired("wt-01-mb", """{"$version":3,"vibrationSampleRateHz":5000}""")!);
        var rate = ack.RootElement.GetProperty("vibrationSampleRateHz");
        Assert.Equal((5000.0, 200, 3L), (rate.GetProperty("value").GetDouble(), rate.GetProperty("ac").GetInt32(), rate.GetProperty("av").GetInt64()));
        var after = Bearing();
        Assert.Equal((5000.0, 256), (after.SampleRateHz!.Value, after.Find("vibration")!.Values.Length));
        // The other bearings keep their rate.
        Assert.Equal(25_600, simulation.NextTick().Single(m => m.TwinId.Value == "wt-01-gen-de").SampleRateHz);

        foreach (var (value, said) in new[] { ("200000", "vibrationSampleRateHz 200000 is outside"), ("10", "vibrationSampleRateHz 10 is outside"), ("\"fast\"", "must be a number") })
        {
            using var refused = JsonDocument.Parse(device.Desired("wt-01-mb", "{\"$version\":4,\"vibrationSampleRateHz\":" + value + "}")!);
            var no = refused.RootElement.GetProperty("vibrationSampleRateHz");
            Assert.Equal(400, no.GetProperty("ac").GetInt32());
            Assert.Contains(said, no.GetProperty("ad").GetString(), StringComparison.Ordinal);
            Assert.Equal(5000, no.GetProperty("value").GetDouble());
            Assert.Equal(5000, Bearing().SampleRateHz);
        }

        Assert.Contains(new TwinId("wt-01-mb"), simulation.DeviceTwins);
        Assert.Contains(new TwinId("wt-01"), simulation.DeviceTwins);
        Assert.DoesNotContain(new TwinId("wt-01-tower"), simulation.DeviceTwins);
    }
}
