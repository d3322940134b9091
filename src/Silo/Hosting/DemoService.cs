using System.Collections.Immutable;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Simulation;
using TwinCluster.Simulation.Telemetry;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Hosting;
using TwinCluster.Wire;

namespace TwinCluster.Silo.Hosting;

/// <summary>
/// <c>--demo</c>: once the silo is up, loads the wind-farm models and the two-turbine example farm (shipped beside
/// the binary), then publishes the simulated fleet to the embedded broker once a second: shaft speeds, temperatures,
/// power, and 1,024-sample vibration blocks, with an outer-race defect growing on wt-01's generator drive-end bearing.
/// </summary>
public sealed class DemoService(IGrainFactory grains, IServiceProvider services, ILogger<DemoService> logger) : BackgroundService
{
    /// <summary>The bearing that degrades in the demo.</summary>
    public const string FaultyBearing = "wt-01-gen-de";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IngressService>()?.BrokerPort is not { } port)
        {
            logger.LogWarning("Demo: no embedded MQTT broker runs here (TwinCluster:Mqtt:Enabled), so there is nothing to publish to");
            return;
        }

        try
        {
            if (await ExampleFarm.LoadAsync(grains, Path.Combine(AppContext.BaseDirectory, "models"), stoppingToken) is { } import)
            {
                logger.LogInformation("Demo: imported {Twins} twins and {Relationships} relationships", import.TwinsCreated, import.RelationshipsCreated);
            }

            var subtree = await grains.GetQueries().Subtree(ExampleFarm.RootTwin);
            var fleet = subtree.Select(e => SimulatedTwin.FromProperties(e.TwinId, e.ModelId, e.PropertiesJson, e.ParentId)).ToList();
            var resume = ImmutableDictionary.CreateBuilder<string, long>();
            foreach (var twin in fleet)
            {
                // A restarted demo continues each twin's seq where the twins are.
                resume[twin.TwinId.Value] = (await grains.GetTwin(twin.TwinId).GetTelemetry()).LastSeq + 1;
            }

            // Back-to-back blocks (25 ticks/s × 1,024 samples = 25.6 kHz), so the bearing twins analyse continuous signal.
            var simulation = new FleetSimulation(fleet, new FleetSimulationOptions
            {
                TickRateHz = 25,
                SampleRateHz = 25_600,
                ResumeSeq = resume.ToImmutable(),
                Faults = ImmutableDictionary<string, SimulatedFault>.Empty.Add(FaultyBearing, SimulatedFault.OuterRace),
                // Fast enough to watch: a warning after two to three minutes, an alarm a few minutes later.
                FaultDurationSeconds = 600,
                FaultOnsetSeverity = 0.1,
            });
            await using var publisher = await MqttTelemetryPublisher.ConnectAsync(
                new MqttTelemetryPublisherOptions { Port = port, ClientId = "twincluster-demo" }, logger, cancellationToken: stoppingToken);
            // The demo devices honour commands and desired properties: twin command wt-01 stop spins one down, a desired vibrationSampleRateHz resamples a bearing.
            await using var devices = await SimulatedDeviceLink.StartAsync(publisher.Options,
                simulation.DeviceTwins,
                new SimulatedDeviceBehaviour(simulation.Controls), logger, stoppingToken);
            logger.LogInformation(
                "Demo: publishing {Count} twins of farm-1 to 127.0.0.1:{Port}, 25 times a second (continuous 25.6 kHz vibration); {Bearing} develops an outer-race defect over 10 minutes. " +
                "Try: dotnet run --project src/Client/Cli -- watch farm-1 (or health farm-1, alerts list, telemetry show {Bearing})", simulation.Twins.Length, port, FaultyBearing, FaultyBearing);
            await new TelemetryPump(simulation, publisher, WireFormat.Binary).RunAsync(0, stoppingToken, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Demo stopped: {Message}", ex.Message);
        }
    }
}
