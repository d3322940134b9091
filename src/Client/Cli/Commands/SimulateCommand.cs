using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Client;
using TwinCluster.Simulation.Telemetry;
using TwinCluster.Wire;

namespace TwinCluster.Cli.Commands;

/// <summary>
/// <c>twin simulate</c>: reads twins from the cluster and publishes simulated telemetry for them to an MQTT broker
/// at QoS 1, with each twin's own seq, until the duration ends or Ctrl+C.
/// </summary>
public static class SimulateCommand
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    // After Ctrl+C there is little time before the process is ended: give in-flight messages only this long.
    private static readonly TimeSpan InterruptDrain = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FinalDrain = TimeSpan.FromSeconds(30);

    public static Command Build()
    {
        var broker = new Option<string>("--broker") { Description = "MQTT broker HOST:PORT.", DefaultValueFactory = _ => "127.0.0.1:1883" };
        var twins = new Option<string?>("--twins") { Description = "Twin ids to simulate, comma-separated (read from the cluster)." };
        var root = new Option<string?>("--root") { Description = "Simulate every twin in the subtree under this twin (read from the cluster)." };
        var rate = new Option<double>("--rate") { Description = "Messages per second per twin.", DefaultValueFactory = _ => 1 };
        var duration = new Option<double>("--duration") { Description = "Seconds to run; 0 runs until Ctrl+C.", DefaultValueFactory = _ => 0 };
        var block = new Option<int>("--block") { Description = "Samples per vibration block.", DefaultValueFactory = _ => 1024 };
        var fs = new Option<double?>("--fs") { Description = "Vibration sample rate in Hz for every twin (default: the twin's vibrationSampleRateHz, else 25,600)." };
        var fault = new Option<string[]>("--fault") { Description = "TWINID:outer|inner: a bearing defect that grows in that twin (repeatable).", AllowMultipleArgumentsPerToken = false };
        var faultDuration = new Option<double?>("--fault-duration") { Description = "Seconds for a defect to grow to failure (default: --duration, or 3,600)." };
        var format = new Option<string>("--format") { Description = "Payload format: binary or json.", DefaultValueFactory = _ => "binary" };
        var seqStart = new Option<long>("--seq-start") { Description = "First seq of every twin (resume a device after a restart).", DefaultValueFactory = _ => 1 };
        var mqtt = new Option<string>("--mqtt") { Description = "MQTT protocol version: 5 or 3.1.1 (3.1.1 sends no content type).", DefaultValueFactory = _ => "5" };
        var inFlight = new Option<int>("--in-flight") { Description = "QoS 1 publications awaiting their PUBACK at once.", DefaultValueFactory = _ => 64 };
        var seed = new Option<long>("--seed") { Description = "Seed of the simulated signals.", DefaultValueFactory = _ => 1 };
        var clientId = new Option<string?>("--client-id") { Description = "MQTT client id (default: a unique one)." };
        var username = new Option<string?>("--username") { Description = "Device user name (twin devices add), where the broker requires one." };
        var password = new Option<string?>("--password") { Description = "Device password (default: TWIN_MQTT_PASSWORD)." };
        var command = new Command("simulate", "Publish simulated telemetry for twins to an MQTT broker (QoS 1, acknowledged, re-sent across reconnects). " +
            "Telemetry goes over MQTT (--broker); the twins' models are read through the Orleans gateway (--gateway), not the HTTP API.")
        {
            broker, twins, root, rate, duration, block, fs, fault, faultDuration, format, seqStart, mqtt, inFlight, seed, clientId, username, password,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var (host, port) = ParseBroker(ctx.Value(broker));
            var wire = ctx.Value(format).ToUpperInvariant() switch
            {
                "BINARY" => WireFormat.Binary,
                "JSON" => WireFormat.Json,
                _ => throw new UsageException($"--format '{ctx.Value(format)}': use binary or json"),
            };
            var protocol = ctx.Value(mqtt) switch
            {
                "5" or "5.0" => MqttProtocol.V500,
                "3.1.1" or "3" => MqttProtocol.V311,
                _ => throw new UsageException($"--mqtt '{ctx.Value(mqtt)}': use 5 or 3.1.1"),
            };
            var perSecond = ctx.Value(rate);
            var seconds = ctx.Value(duration);
            Require(perSecond > 0 && double.IsFinite(perSecond), "--rate must be a positive number");
            Require(seconds >= 0 && double.IsFinite(seconds), "--duration must be 0 or more seconds");
            Require(ctx.Value(block) is >= 1 and <= 65_536, "--block must be 1 to 65,536 samples");
            Require(ctx.Value(fs) is null or > 0, "--fs must be positive");
            Require(ctx.Value(seqStart) >= 0, "--seq-start must not be negative");
            Require(ctx.Value(inFlight) is >= 1 and <= 65_535, "--in-flight must be 1 to 65,535");
            Require(ctx.Value(faultDuration) is null or > 0, "--fault-duration must be positive");
            var faults = ParseFaults(ctx.Value(fault) ?? []);
            var ids = ctx.Value(twins);
            var rootId = ctx.Value(root);
            if ((ids is null) == (rootId is null))
            {
                throw new UsageException("give either --twins ID,ID,... or --root TWINID");
            }

            List<SimulatedTwin> fleet;
            await using (var connection = await ctx.ConnectAsync(ct))
            {
                fleet = rootId is not null ? await ReadSubtree(connection.Twins, rootId) : await ReadTwins(connection.Twins, ids!);
            }

            var simulation = new FleetSimulation(fleet, new FleetSimulationOptions
            {
                BlockSize = ctx.Value(block),
                SampleRateHz = ctx.Value(fs),
                TickRateHz = perSecond,
                SeqStart = ctx.Value(seqStart),
                Seed = ctx.Value(seed),
                Faults = faults,
                FaultDurationSeconds = ctx.Value(faultDuration) ?? (seconds > 0 ? seconds : 3600),
                Format = wire,
            });
            foreach (var skipped in simulation.Skipped)
            {
                Console.Error.WriteLine($"skipped {skipped.TwinId.Value}: no simulator for {skipped.ModelId}");
            }

            if (simulation.Twins.IsEmpty)
            {
                Console.Error.WriteLine("error: none of the twins has a model the simulator knows (wind farm, turbine, bearing, gearbox, generator, blade, tower)");
                return ExitCodes.Failed;
            }

            MqttTelemetryPublisher publisher;
            try
            {
                publisher = await MqttTelemetryPublisher.ConnectAsync(new MqttTelemetryPublisherOptions
                {
                    Host = host,
                    Port = port,
                    Protocol = protocol,
                    MaxInFlight = ctx.Value(inFlight),
                    ClientId = ctx.Value(clientId) ?? "",
                    Username = ctx.Value(username),
                    Password = ctx.Value(password) ?? Environment.GetEnvironmentVariable("TWIN_MQTT_PASSWORD"),
                }, cancellationToken: ct);
            }
            catch (MqttBrokerUnreachableException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Failed;
            }

            // Ctrl+C (or SIGTERM) ends generation and leaves a moment for acknowledgements and the summary; a second one ends the process.
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Interrupt(signal, interrupt));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Interrupt(signal, interrupt));
            await using (publisher)
            {
                // The simulated devices honour commands and desired properties (stop, start, curtail, maxPowerKW; vibrationSampleRateHz).
                await using var devices = await SimulatedDeviceLink.StartAsync(publisher.Options,
                    simulation.DeviceTwins,
                    new SimulatedDeviceBehaviour(simulation.Controls), cancellationToken: ct);
                return await Run(ctx, simulation, publisher, wire, seconds, interrupt.Token);
            }
        }));
        return command;
    }

    private static async Task<int> Run(CliContext ctx, FleetSimulation simulation, MqttTelemetryPublisher publisher, WireFormat wire, double seconds, CancellationToken ct)
    {
        var rate = simulation.Options.TickRateHz;
        var ticks = seconds > 0 ? (long)Math.Ceiling(seconds * rate) : 0;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulating {simulation.Twins.Length} twin(s) at {rate:0.###} msg/s each ({wire}, MQTT {(publisher.Options.Protocol == MqttProtocol.V500 ? "5" : "3.1.1")}, client id {publisher.ClientId}) to {publisher.Options.Endpoint}{(ticks > 0 ? $" for {seconds:0.###} s" : " until Ctrl+C")}"));

        using var drain = new CancellationTokenSource();
        using var interrupted = ct.Register(() => drain.CancelAfter(InterruptDrain));
        // The duration is wall-clock time: when the broker cannot keep up with the rate, fewer ticks are generated.
        using var generating = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (seconds > 0)
        {
            generating.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var pump = new TelemetryPump(simulation, publisher, wire) { DrainTimeout = FinalDrain };
        var clock = Stopwatch.StartNew();
        using var progressStop = new CancellationTokenSource();
        var progress = Progress(simulation, publisher, pump, clock, progressStop.Token);
        bool complete;
        try
        {
            complete = await pump.RunAsync(ticks, generating.Token, drain.Token);
        }
        catch (MqttPublishRejectedException ex)
        {
            await progressStop.CancelAsync();
            await progress;
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Failed;
        }

        await progressStop.CancelAsync();
        await progress;
        var elapsed = clock.Elapsed.TotalSeconds;
        var unacknowledged = publisher.Published - publisher.Acknowledged;
        var summary = new
        {
            twins = simulation.Twins.Length,
            ticks = simulation.Ticks,
            seconds = Math.Round(elapsed, 3),
            published = publisher.Published,
            acknowledged = publisher.Acknowledged,
            retried = publisher.Retried,
            reconnects = publisher.Reconnects,
            unacknowledged,
            messagesPerSecond = Math.Round(publisher.Acknowledged / Math.Max(elapsed, 1e-9), 1),
            nextSeq = simulation.Twins.Length > 0 ? simulation.NextSeq(simulation.Twins[0].TwinId.Value) : 0,
        };
        if (ctx.Json)
        {
            CliContext.WriteJson(summary);
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"done: {summary.twins} twin(s), {summary.ticks} ticks in {elapsed:0.0} s: published {summary.published:N0}, acknowledged {summary.acknowledged:N0}, retried {summary.retried:N0}, reconnects {summary.reconnects}, {summary.messagesPerSecond:N1} msg/s; unacknowledged {unacknowledged:N0}; next seq {summary.nextSeq}"));
        }

        return complete && unacknowledged == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static void Interrupt(PosixSignalContext signal, CancellationTokenSource interrupt)
    {
        if (!interrupt.IsCancellationRequested)
        {
            signal.Cancel = true;
            interrupt.Cancel();
        }
    }

    private static async Task Progress(FleetSimulation simulation, MqttTelemetryPublisher publisher, TelemetryPump pump, Stopwatch clock, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ProgressInterval);
        long lastAcked = 0;
        var lastTime = TimeSpan.Zero;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = clock.Elapsed;
                var acked = publisher.Acknowledged;
                var rate = (acked - lastAcked) / (now - lastTime).TotalSeconds;
                (lastAcked, lastTime) = (acked, now);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{now.TotalSeconds,7:0.0} s  published {publisher.Published:N0}  acked {acked:N0}  retried {publisher.Retried:N0}  {rate:N0} msg/s  in flight {publisher.InFlight}  pending {pump.Pending}{(publisher.IsConnected ? "" : "  (reconnecting)")}  tick {simulation.Ticks:N0}"));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task<List<SimulatedTwin>> ReadSubtree(TwinClient client, string rootId)
    {
        var subtree = await client.SubtreeAsync(rootId);
        return [.. subtree.Select(e => SimulatedTwin.FromProperties(e.TwinId, e.ModelId, e.PropertiesJson, e.ParentId))];
    }

    private static async Task<List<SimulatedTwin>> ReadTwins(TwinClient client, string ids)
    {
        var list = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
        {
            throw new UsageException("--twins names no twin");
        }

        var result = new List<SimulatedTwin>(list.Length);
        foreach (var id in list)
        {
            var snapshot = await client.GetAsync(id);
            var parent = await client.Twin(id).GetParent();
            result.Add(SimulatedTwin.FromProperties(snapshot.Id, snapshot.ModelId, snapshot.PropertiesJson, parent));
        }

        return result;
    }

    private static (string Host, int Port) ParseBroker(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--broker '{text}': use HOST:PORT, e.g. 127.0.0.1:1883");
        }

        return (text[..colon].Trim('[', ']'), port);
    }

    private static ImmutableDictionary<string, SimulatedFault> ParseFaults(string[] values)
    {
        var faults = ImmutableDictionary.CreateBuilder<string, SimulatedFault>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var colon = value.LastIndexOf(':');
            var kind = colon > 0 ? value[(colon + 1)..].Trim().ToUpperInvariant() : "";
            var fault = kind switch
            {
                "OUTER" => SimulatedFault.OuterRace,
                "INNER" => SimulatedFault.InnerRace,
                _ => throw new UsageException($"--fault '{value}': use TWINID:outer or TWINID:inner"),
            };
            if (!faults.TryAdd(value[..colon].Trim(), fault))
            {
                throw new UsageException($"--fault names '{value[..colon]}' twice");
            }
        }

        return faults.ToImmutable();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UsageException(message);
        }
    }
}
