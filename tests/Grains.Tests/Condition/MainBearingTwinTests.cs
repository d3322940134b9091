using Orleans.Runtime;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests.Condition;

/// <summary>
/// Main-bearing twins in the test cluster, with the silo's default condition settings: fed 90 s of slow-shaft
/// vibration through their telemetry streams, a healthy one reads Normal (it read Unknown before the slow-shaft path)
/// and one with an outer-race defect reads that defect in its health.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MainBearingTwinTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const string Properties =
        """{"bearingType":"sphericalRoller","balls":30,"ballDiameterMm":72.0,"pitchDiameterMm":760.0,"contactAngleDeg":9.5,"vibrationSampleRateHz":5120.0}""";

    private static readonly BearingGeometry Geometry = new(30, 72, 760, 9.5);

    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Main_bearing_twins_at_rotor_speed_read_their_condition_instead_of_unknown()
    {
        var healthy = Ids.New("mb");
        var faulty = Ids.New("mb");
        foreach (var (id, severity) in new[] { (healthy, 0.0), (faulty, 0.2) })
        {
            await Client.GetTwin(new TwinId(id)).Create(TestModels.MainBearing, Properties);
            var feed = new ConditionFeed(5_120, SimulatedFault.OuterRace, severity, 11.7 / 60, 1536, seed: 3, bearing: Geometry);
            var records = feed.Records(0, 90);
            var stream = Client.GetStreamProvider(TelemetryStreams.Provider).GetStream<TelemetryBatch>(StreamId.Create(TelemetryStreams.Namespace, id));
            for (var i = 0; i < records.Count; i += 25)
            {
                await stream.OnNextAsync(new TelemetryBatch(id, [.. records.Skip(i).Take(25)]));
            }
        }

        var normal = await WaitForHealth(healthy, h => h.Status != HealthStatus.Unknown);
        var defect = await WaitForHealth(faulty, h => h.Fault is not null && h.Fault != "Normal");
        output.WriteLine(normal.Explain());
        output.WriteLine(defect.Explain());
        Assert.Equal(HealthStatus.Normal, normal.Status);
        Assert.Equal(nameof(FaultKind.OuterRace), defect.Fault);
        Assert.Contains("outer-race defect", defect.Explain(), StringComparison.Ordinal);
    }

    private async Task<TwinHealth> WaitForHealth(string id, Func<TwinHealth, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        TwinHealth health;
        do
        {
            health = await Client.GetTwin(new TwinId(id)).GetHealth();
            if (done(health))
            {
                return health;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        return health;
    }
}
