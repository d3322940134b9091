using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Simulation;
using TwinCluster.Simulation.Import;
using TwinCluster.Simulation.Telemetry;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Client.Bench;

/// <summary>The figures of a <see cref="ConditionBench"/> run.</summary>
/// <param name="Twins">Bearing twins published to.</param>
/// <param name="Seconds">Length of the measured phase.</param>
/// <param name="AppliedPerSecond">Messages the twins applied per second.</param>
/// <param name="WindowsPerSecond">Windows analysed per second over all twins.</param>
/// <param name="AnalysisCores">CPU inside the twins' condition monitors per second of the phase (cores; see <see cref="TelemetryStatus.AnalysisTime"/>).</param>
/// <param name="ReferenceCores">The same number of windows analysed by one analyzer in this process, on one thread (cores).</param>
/// <param name="SiloCores">The silo process's CPU per second, when its process id was given.</param>
/// <param name="BenchCores">This process's CPU per second (simulator and publisher).</param>
/// <param name="P50Ms">Device timestamp → applied, median.</param>
/// <param name="P99Ms">Device timestamp → applied, 99th percentile.</param>
/// <param name="Root">The bench farm's health at the end.</param>
/// <param name="OpenAlerts">Open alerts under the bench farm at the end.</param>
public sealed record ConditionBenchResult(
    int Twins,
    double Seconds,
    double AppliedPerSecond,
    double WindowsPerSecond,
    double AnalysisCores,
    double ReferenceCores,
    double? SiloCores,
    double BenchCores,
    double? P50Ms,
    double? P99Ms,
    TwinHealth Root,
    int OpenAlerts);

/// <summary>
/// Condition monitoring at fleet scale through a silo: a farm of turbines, each with a generator holding bearings;
/// the fleet simulator publishes each bearing's vibration over MQTT (one block a second of continuous signal); the
/// twins analyse it and roll health up. Measures, over a phase after a warm-up, the CPU the twins spend in their
/// condition monitors (from <see cref="TelemetryStatus.AnalysisTime"/>) against the cost of the same windows in one
/// analyzer here, and the silo's CPU when its process id is known.
/// </summary>
public sealed class ConditionBench(IGrainFactory grains, ConditionBenchOptions options, Action<string> log)
{
    private readonly List<SimulatedTwin> _bearings = [];

    private string Farm => $"{options.Prefix}-farm";

    /// <summary>Uploads the models and imports the fleet unless it is there from an earlier run.</summary>
    public async Task SetUpAsync(CancellationToken cancellationToken)
    {
        await ExampleFarm.UploadModelsAsync(grains, options.ModelsRoot);
        var lines = new StringBuilder();
        var turbines = (options.Twins + options.PerTurbine - 1) / options.PerTurbine;
        Line(lines, new { kind = "twin", id = Farm, model = FleetSimulation.WindFarmModel, properties = new { name = "Condition bench" } });
        for (var t = 0; t < turbines; t++)
        {
            var turbine = $"{options.Prefix}-wt-{t:D4}";
            var generator = turbine + "-gen";
            Line(lines, new { kind = "twin", id = turbine, model = FleetSimulation.TurbineModel, properties = new { name = turbine } });
            Line(lines, new { kind = "relationship", source = Farm, name = RelationshipNames.Contains, target = turbine, id = $"{Farm}-contains-{turbine}", properties = new { } });
            Line(lines, new { kind = "twin", id = generator, model = FleetSimulation.GeneratorModel, properties = new { } });
            Line(lines, new { kind = "relationship", source = turbine, name = RelationshipNames.Contains, target = generator, id = $"{turbine}-contains-gen", properties = new { } });
            for (var b = 0; b < options.PerTurbine && t * options.PerTurbine + b < options.Twins; b++)
            {
                var bearing = $"{generator}-b{b:D2}";
                var properties = new
                {
                    bearingType = "deepGrooveBall", balls = 10, ballDiameterMm = 31.75, pitchDiameterMm = 180.0, contactAngleDeg = 0.0,
                    vibrationSampleRateHz = options.SampleRateHz,
                };
                Line(lines, new { kind = "twin", id = bearing, model = FleetSimulation.BearingModel, properties });
                Line(lines, new { kind = "relationship", source = generator, name = RelationshipNames.Contains, target = bearing, id = $"{generator}-contains-{bearing}", properties = new { } });
                _bearings.Add(SimulatedTwin.FromProperties(bearing, FleetSimulation.BearingModel, JsonSerializer.Serialize(properties), generator));
            }
        }

        if (await grains.GetTwin(new TwinId(Farm)).Get() is null)
        {
            var clock = Stopwatch.StartNew();
            var import = await new NdjsonImporter(grains).ImportAsync(new StringReader(lines.ToString()), null, cancellationToken);
            if (!import.Succeeded)
            {
                throw new InvalidOperationException("the bench fleet did not import: " + string.Join("; ", import.Errors.Take(3).Select(e => $"line {e.Line}: {e.Message}")));
            }

            log($"imported {import.TwinsCreated:N0} twins and {import.RelationshipsCreated:N0} relationships in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        log($"{_bearings.Count:N0} bearings under {turbines:N0} turbines ({Farm}); {options.SampleRateHz:N0} Hz vibration, one {options.SampleRateHz:N0}-sample block per bearing per second; {Math.Min(options.Faulty, _bearings.Count)} bearings grow an outer-race defect");
    }

    /// <summary>Publishes through the warm-up and the measured phase, and measures.</summary>
    public async Task<ConditionBenchResult> RunAsync(CancellationToken cancellationToken)
    {
        var resume = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var (id, status) in await ReadAsync())
        {
            resume[id] = status.LastSeq + 1;
        }

        var faults = _bearings.Take(options.Faulty).ToImmutableDictionary(b => b.TwinId.Value, _ => SimulatedFault.OuterRace, StringComparer.Ordinal);
        var total = options.WarmUp + options.Duration;
        var simulation = new FleetSimulation(_bearings, new FleetSimulationOptions
        {
            BlockSize = (int)Math.Round(options.SampleRateHz),
            SampleRateHz = options.SampleRateHz,
            TickRateHz = 1,
            ResumeSeq = resume.ToImmutable(),
            Faults = faults,
            FaultDurationSeconds = total.TotalSeconds * 1.2,
            FaultOnsetSeverity = 0.2,
        });
        await using var publisher = await MqttTelemetryPublisher.ConnectAsync(new MqttTelemetryPublisherOptions
        {
            Host = options.Host,
            Port = options.Port,
            MaxInFlight = 256,
            ClientId = $"{options.Prefix}-{Guid.NewGuid():N}"[..23],
        }, cancellationToken: cancellationToken);
        var pump = new TelemetryPump(simulation, publisher, WireFormat.Binary) { DrainTimeout = TimeSpan.FromSeconds(30) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pumping = pump.RunAsync((long)Math.Ceiling(total.TotalSeconds) + 1, stop.Token, drain.Token);

        await Task.Delay(options.WarmUp, cancellationToken);
        var before = await SnapshotAsync();
        log($"warm-up done: {before.Windows:N0} windows analysed so far; measuring for {options.Duration.TotalSeconds:0} s");
        await Task.Delay(options.Duration, cancellationToken);
        var after = await SnapshotAsync();
        await stop.CancelAsync();
        await pumping;

        var seconds = (after.At - before.At).TotalSeconds;
        var windowsPerSecond = (after.Windows - before.Windows) / seconds;
        var reference = ReferenceSecondsPerWindow();
        var delay = after.Delay.Minus(before.Delay);
        var root = await grains.GetTwin(new TwinId(Farm)).GetHealth();
        var open = (await grains.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key).List(false)).Count(a => a.TwinId.StartsWith(options.Prefix, StringComparison.Ordinal));
        return new ConditionBenchResult(
            _bearings.Count,
            seconds,
            (after.Applied - before.Applied) / seconds,
            windowsPerSecond,
            (after.Analysis - before.Analysis).TotalSeconds / seconds,
            windowsPerSecond * reference,
            after.SiloCpu is { } s1 && before.SiloCpu is { } s0 ? (s1 - s0).TotalSeconds / seconds : null,
            (after.BenchCpu - before.BenchCpu).TotalSeconds / seconds,
            delay.Quantile(0.5),
            delay.Quantile(0.99),
            root,
            open);
    }

    private async Task<Snapshot> SnapshotAsync()
    {
        var siloCpu = SiloCpu();
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var at = DateTime.UtcNow;
        var statuses = await ReadAsync();
        var delay = LatencyHistogram.Empty;
        foreach (var (_, status) in statuses)
        {
            delay = delay.Merge(status.EndToEndDelay);
        }

        return new Snapshot(at, statuses.Sum(s => s.Status.Applied), statuses.Sum(s => s.Status.WindowsAnalysed),
            TimeSpan.FromTicks(statuses.Sum(s => s.Status.AnalysisTime.Ticks)), delay, siloCpu, benchCpu);
    }

    private async Task<(string Id, TelemetryStatus Status)[]> ReadAsync()
    {
        var statuses = new (string, TelemetryStatus)[_bearings.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, _bearings.Count), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, _) => statuses[i] = (_bearings[i].TwinId.Value, await grains.GetTwin(_bearings[i].TwinId).GetTelemetry()));
        return statuses;
    }

    /// <summary>CPU time of the silo process from /proc (Linux), or null.</summary>
    private TimeSpan? SiloCpu()
    {
        if (options.SiloProcessId is not { } pid || !File.Exists($"/proc/{pid}/stat"))
        {
            return null;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 (utime, stime) in clock ticks, counted from the state field (3).
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>One analyzer here, one thread: CPU seconds per window of the size the twins use (1 s, half overlap).</summary>
    private double ReferenceSecondsPerWindow()
    {
        var fs = options.SampleRateHz;
        var bearing = new BearingGeometry(10, 31.75, 180, 0);
        var analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions { SampleRateHz = fs, Bearing = bearing, Component = ComponentKind.Generator, Overlap = 0.5 });
        var simulator = new BearingVibrationSimulator(new BearingVibrationOptions
        {
            SampleRateHz = fs, Bearing = bearing, ShaftHz = 25, Fault = SimulatedFault.OuterRace, Severity = 0.3, ResonanceHz = 0.3 * fs, Seed = 3,
        });
        var window = new float[Math.Max((int)Math.Round(fs), analyzer.WindowSize)];
        simulator.Fill(window);
        for (var i = 0; i < 50; i++)
        {
            analyzer.Analyze(window, 25);
        }

        const int Runs = 2000;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Runs; i++)
        {
            analyzer.Analyze(window, 25);
        }

        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        // The process's other threads (publisher) add CPU meanwhile: take the smaller of CPU and elapsed time.
        return Math.Min(used.TotalSeconds, clock.Elapsed.TotalSeconds) / Runs;
    }

    private static void Line(StringBuilder lines, object value) => lines.AppendLine(JsonSerializer.Serialize(value));

    private sealed record Snapshot(DateTime At, long Applied, long Windows, TimeSpan Analysis, LatencyHistogram Delay, TimeSpan? SiloCpu, TimeSpan BenchCpu);
}
