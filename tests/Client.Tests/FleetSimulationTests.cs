using System.Collections.Immutable;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Simulation.Telemetry;
using TwinCluster.Ingress.Admission;
using TwinCluster.Wire;

namespace TwinCluster.Client.Tests;

public sealed class FleetSimulationTests
{
    [Theory]
    [InlineData(WireFormat.Json)]
    [InlineData(WireFormat.Binary)]
    public void Every_message_decodes_and_fits_its_twins_model(WireFormat format)
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { BlockSize = 256, Format = format });
        var models = Fleet.Models.Value;
        for (var tick = 0; tick < 3; tick++)
        {
            foreach (var message in simulation.NextTick())
            {
                var payload = format == WireFormat.Json ? JsonTelemetryCodec.Encode(message) : BinaryTelemetryCodec.Encode(message);
                var contentType = format == WireFormat.Json ? ContentTypes.Json : ContentTypes.BinaryBlock;
                var decoded = PayloadDecoder.Decode(message.TwinId, payload, contentType, IngressLimits.Default, DateTimeOffset.UtcNow);
                Assert.True(decoded.IsSuccess, $"{message.TwinId.Value}: {decoded}");
                var twin = simulation.Twins.Single(t => t.TwinId == message.TwinId);
                var model = models.Find(twin.ModelId);
                Assert.NotNull(model);
                var problem = TelemetrySchemaCheck.Check(decoded.Message, model, models);
                Assert.True(problem is null, $"{message.TwinId.Value}: {problem}");
            }
        }
    }

    [Fact]
    public void Twins_of_unsimulated_models_are_skipped_and_listed()
    {
        var simulation = new FleetSimulation(Fleet.Turbine());
        Assert.Equal(["wt-01-hub"], simulation.Skipped.Select(t => t.TwinId.Value));
        Assert.Equal(9, simulation.NextTick().Length);
    }

    [Fact]
    public void Each_twin_counts_its_own_seq_from_the_start_or_the_resume_value()
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions
        {
            BlockSize = 64,
            SeqStart = 10,
            ResumeSeq = ImmutableDictionary<string, long>.Empty.Add("wt-01-gbx", 500),
        });
        var seqs = Enumerable.Range(0, 3).SelectMany(_ => simulation.NextTick())
            .GroupBy(m => m.TwinId.Value).ToDictionary(g => g.Key, g => g.Select(m => m.Seq).ToArray());
        Assert.Equal([500, 501, 502], seqs["wt-01-gbx"]);
        Assert.Equal([10, 11, 12], seqs["wt-01"]);
        Assert.Equal(503, simulation.NextSeq("wt-01-gbx"));
        Assert.All(seqs.Where(s => s.Key != "wt-01-gbx"), s => Assert.Equal([10L, 11, 12], s.Value));
    }

    [Fact]
    public void Default_seq_starts_at_one()
    {
        var simulation = new FleetSimulation(Fleet.Turbine());
        Assert.All(simulation.NextTick(), m => Assert.Equal(1, m.Seq));
    }

    [Fact]
    public void Vibration_blocks_carry_the_block_size_and_the_twins_sample_rate()
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { BlockSize = 2048 });
        var messages = simulation.NextTick().ToDictionary(m => m.TwinId.Value);
        Assert.Equal(20_000, messages["wt-01-mb"].SampleRateHz);
        Assert.Equal(25_600, messages["wt-01-gen-de"].SampleRateHz);
        Assert.Equal(2048, messages["wt-01-mb"].Find("vibration")!.Values.Length);
        Assert.Equal(2048, messages["wt-01-gbx"].Find("vibration")!.Values.Length);
        Assert.Equal(2048, messages["wt-01-gen"].Find("bearingVibration")!.Values.Length);
        Assert.True(messages["wt-01-mb"].Find("temperature")!.IsScalar);
        Assert.Null(messages["wt-01"].SampleRateHz);
        Assert.Equal(["rotorSpeed", "power", "windSpeed", "windDirection", "ambientTemperature"], messages["wt-01"].Channels.Select(c => c.Name));

        var overridden = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { BlockSize = 100, SampleRateHz = 12_800 });
        Assert.All(overridden.NextTick().Where(m => m.SampleRateHz is not null), m => Assert.Equal(12_800, m.SampleRateHz));
    }

    [Fact]
    public void Shaft_speeds_follow_the_turbine()
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { BlockSize = 256 });
        var messages = simulation.NextTick().ToDictionary(m => m.TwinId.Value);
        var rotor = Scalar(messages["wt-01"], "rotorSpeed");
        var generator = Scalar(messages["wt-01-gen"], "speed");
        Assert.InRange(rotor, 6, 15.1);
        Assert.Equal(generator, Scalar(messages["wt-01-gbx"], "outputSpeed"));
        Assert.Equal(rotor * 100, generator, 6);
        Assert.Equal(rotor, Scalar(messages["wt-01-mb"], "shaftSpeed"), rotor * 0.03);
        Assert.Equal(generator, Scalar(messages["wt-01-gen-de"], "shaftSpeed"), generator * 0.03);
        Assert.Equal(Scalar(messages["wt-01"], "power") / 1000, Scalar(messages["farm-1"], "power"), 9);
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples_and_another_seed_does_not()
    {
        static double[] Run(long seed)
        {
            var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { BlockSize = 128, Seed = seed });
            return [.. Enumerable.Range(0, 3).SelectMany(_ => simulation.NextTick()).SelectMany(m => m.Channels).SelectMany(c => c.Values.ToArray())];
        }

        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void Timestamps_are_the_clocks_now()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 25, 18, 0, 0, TimeSpan.Zero));
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions { BlockSize = 16, TimeProvider = clock });
        Assert.All(simulation.NextTick(), m => Assert.Equal(clock.Now, m.Timestamp));
        clock.Now = clock.Now.AddSeconds(1);
        Assert.All(simulation.NextTick(), m => Assert.Equal(clock.Now, m.Timestamp));
    }

    [Fact]
    public void A_faulted_bearing_grows_energy_at_its_outer_race_frequency_and_a_healthy_one_does_not()
    {
        var simulation = new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions
        {
            BlockSize = 16_384,
            FaultDurationSeconds = 10,
            Faults = ImmutableDictionary<string, SimulatedFault>.Empty.Add("wt-01-gen-de", SimulatedFault.OuterRace),
        });
        var severities = new List<double>();
        var faultedLine = new List<double>();
        var healthyLine = new List<double>();
        for (var tick = 0; tick < 10; tick++)
        {
            var messages = simulation.NextTick().ToDictionary(m => m.TwinId.Value);
            severities.Add(simulation.Severity("wt-01-gen-de"));
            Assert.Equal(0, simulation.Severity("wt-01-gen-nde"));
            var bpfo = simulation.FaultFrequencies("wt-01-gen-de")!.Bpfo;
            var fs = messages["wt-01-gen-de"].SampleRateHz!.Value;
            faultedLine.Add(EnvelopeLine(messages["wt-01-gen-de"].Find("vibration")!.Values.Span, fs, bpfo));
            healthyLine.Add(EnvelopeLine(messages["wt-01-gen-nde"].Find("vibration")!.Values.Span, fs, bpfo));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"severity {string.Join(" ", severities.Select(s => s.ToString("0.000")))}; envelope at BPFO faulted {string.Join(" ", faultedLine.Select(v => v.ToString("G3")))}; healthy {string.Join(" ", healthyLine.Select(v => v.ToString("G3")))}");
        Assert.Equal(severities.Order(), severities);
        Assert.InRange(severities[0], 0.05, 0.2);
        Assert.Equal(1, severities[^1], 6);
        Assert.True(faultedLine[^1] > 5 * healthyLine[^1], $"envelope at BPFO: faulted {faultedLine[^1]:G3}, healthy {healthyLine[^1]:G3}");
        Assert.True(faultedLine[^1] > 5 * faultedLine[0], $"envelope at BPFO grew only from {faultedLine[0]:G3} to {faultedLine[^1]:G3}");
    }

    [Fact]
    public void A_fault_on_a_twin_without_vibration_or_outside_the_fleet_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions
        {
            Faults = ImmutableDictionary<string, SimulatedFault>.Empty.Add("wt-01-blade-a", SimulatedFault.InnerRace),
        }));
        var outside = Assert.Throws<ArgumentException>(() => new FleetSimulation(Fleet.Turbine(), new FleetSimulationOptions
        {
            Faults = ImmutableDictionary<string, SimulatedFault>.Empty.Add("wt-99-mb", SimulatedFault.OuterRace),
        }));
        Assert.Contains("wt-99-mb", outside.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Geometry_comes_from_the_twins_properties_when_complete()
    {
        var twin = SimulatedTwin.FromProperties("b1", FleetSimulation.BearingModel, Fleet.Geometry);
        Assert.Equal(new Analytics.BearingGeometry(9, 7.94, 39.04, 0), twin.Bearing);
        Assert.Null(SimulatedTwin.FromProperties("b2", FleetSimulation.BearingModel, """{"balls":9}""").Bearing);
        Assert.Null(SimulatedTwin.FromProperties("b3", FleetSimulation.BearingModel, """{"balls":9,"ballDiameterMm":40,"pitchDiameterMm":39}""").Bearing);
    }

    private static double Scalar(TelemetryMessage message, string name) => message.Find(name)!.Values.Span[0];

    // Squared-envelope spectrum line: high-pass (second difference) to keep the ringing resonance, square, remove the
    // mean, and take the largest DFT magnitude within ±3 % of the frequency (the shaft speed drifts a little).
    private static double EnvelopeLine(ReadOnlySpan<double> samples, double fs, double frequency)
    {
        var squared = new double[samples.Length - 2];
        for (var i = 2; i < samples.Length; i++)
        {
            var d = samples[i] - 2 * samples[i - 1] + samples[i - 2];
            squared[i - 2] = d * d;
        }

        var mean = squared.Average();
        var best = 0.0;
        for (var f = 0.97 * frequency; f <= 1.03 * frequency; f += fs / squared.Length / 2)
        {
            double re = 0, im = 0;
            for (var i = 0; i < squared.Length; i++)
            {
                var (sin, cos) = Math.SinCos(2 * Math.PI * f * i / fs);
                re += (squared[i] - mean) * cos;
                im -= (squared[i] - mean) * sin;
            }

            best = Math.Max(best, Math.Sqrt(re * re + im * im) / squared.Length);
        }

        return best;
    }
}
