using Orleans.Runtime;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Tests.Condition;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests.Health;

/// <summary>
/// Health in the two-silo test cluster: a bearing analysing a defect in its own vibration (through its telemetry
/// stream) raises an alert, and its health rolls up to its turbine and farm with the explanation and the path; the
/// alert is acknowledged; the change feed carries it all; a bearing taken out of the turbine no longer counts.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HealthPropagationTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task A_degrading_bearing_rolls_up_to_its_turbine_and_farm_with_an_alert_and_change_events()
    {
        var raisedCount = 0L;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "TwinCluster" && instrument.Name == "twincluster.alerts")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "kind" && (string?)tag.Value == nameof(TwinChangeKind.AlertRaised))
                {
                    Interlocked.Add(ref raisedCount, value);
                }
            }
        });
        listener.Start();
        var farm = Ids.New("farm");
        var turbine = Ids.New("wt");
        var faulty = Ids.New("mb");
        var healthy = Ids.New("mb");
        await Client.GetTwin(new TwinId(farm)).Create(TestModels.Farm, "{}");
        await Client.GetTwin(new TwinId(turbine)).Create(TestModels.Turbine, "{}");
        foreach (var bearing in new[] { faulty, healthy })
        {
            await Client.GetTwin(new TwinId(bearing)).Create(TestModels.MainBearing, ConditionFeed.Properties());
            await Client.GetTwin(new TwinId(turbine)).AddRelationship("c-" + bearing, RelationshipNames.Contains, bearing, "{}", null);
        }

        await Client.GetTwin(new TwinId(farm)).AddRelationship("c-" + turbine, RelationshipNames.Contains, turbine, "{}", null);
        Assert.Equal(HealthStatus.Unknown, (await Client.GetTwin(new TwinId(farm)).GetHealth()).Status);
        var start = await Feed.Read(Guid.Empty, -1, 1, TimeSpan.Zero);
        var (epoch, cursor) = (start.Epoch, start.Next);

        await Feed4Seconds(healthy, new ConditionFeed(severity: 0));
        await Feed4Seconds(faulty, new ConditionFeed(severity: 0.6));

        var farmHealth = await WaitForHealth(farm, h => h.Status >= HealthStatus.Warning && h.Monitored == 2);
        Assert.Equal(faulty, farmHealth.SourceId);
        Assert.Equal([turbine, faulty], farmHealth.SourcePath);
        Assert.Equal("OuterRace", farmHealth.Fault);
        Assert.Equal(1, farmHealth.Alarms + farmHealth.Warnings);
        var explanation = farmHealth.Explain();
        Assert.StartsWith($"{farm} {farmHealth.Status}: MainBearing {faulty}: outer-race defect", explanation, StringComparison.Ordinal);
        Assert.Contains("among 2 monitored components", explanation, StringComparison.Ordinal);

        var children = await Client.GetTwin(new TwinId(turbine)).GetChildHealth();
        Assert.Equal(new[] { faulty, healthy }.Order(StringComparer.Ordinal), children.Select(c => c.TwinId).Order(StringComparer.Ordinal));
        Assert.Equal(HealthStatus.Normal, children.Single(c => c.TwinId == healthy).Status);

        // The change feed: the alert under its full path, and the farm's change of health.
        var events = await ReadUntil(epoch, cursor, e => e.Exists(c => c.Kind == TwinChangeKind.AlertRaised && c.TwinId == faulty)
            && e.Exists(c => c.Kind == TwinChangeKind.Health && c.TwinId == farm && c.Health!.Status == farmHealth.Status));
        var raised = Assert.Single(events, c => c.Kind == TwinChangeKind.AlertRaised && c.TwinId == faulty);
        Assert.True(Interlocked.Read(ref raisedCount) >= 1, "the twincluster.alerts meter counted no raised alert");
        Assert.Equal([farm, turbine, faulty], raised.Path);
        Assert.True(raised.IsUnder(farm));
        Assert.DoesNotContain(events, c => c.TwinId == healthy && c.Kind != TwinChangeKind.Health);

        // The alert: open on the component and in the registry, acknowledged from outside.
        var alert = Assert.Single(await Client.GetTwin(new TwinId(faulty)).GetAlerts());
        Assert.True(alert.IsOpen);
        Assert.Equal(farmHealth.Status, alert.Level);
        // Acknowledged on a fresh activation (no telemetry since): the bearing still reports its condition, with the
        // acknowledgement, and its container's counts do not drop. (The change feed restarts too: it is in memory.)
        await Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        var acknowledged = await Client.GetTwin(new TwinId(faulty)).AcknowledgeAlert("operator", "crane booked");
        Assert.Equal(("operator", "crane booked"), (acknowledged.AcknowledgedBy, acknowledged.Note));
        var listed = Assert.Single(await Registry.List(includeClosed: false), a => a.TwinId == faulty);
        Assert.True(listed.IsAcknowledged);
        var report = await Eventually.WaitFor(async () => (await Client.GetTwin(new TwinId(turbine)).GetChildHealth()).Single(c => c.TwinId == faulty),
            h => h.OpenAlert?.IsAcknowledged == true, Patience, h => $"the turbine never heard of the acknowledgement; last: {h.Explain()}");
        Assert.Equal((farmHealth.Status, 1), (report.Status, report.Monitored));
        Assert.Equal(2, (await Client.GetTwin(new TwinId(farm)).GetHealth()).Monitored);
        var none = await Assert.ThrowsAsync<TwinOperationException>(() => Client.GetTwin(new TwinId(healthy)).AcknowledgeAlert("operator", null));
        Assert.Equal(TwinErrorCode.NotFound, none.Code);

        var acked = await ReadUntil(Guid.Empty, 0, e => e.Exists(c => c.Kind == TwinChangeKind.AlertAcknowledged && c.TwinId == faulty));
        Assert.Equal([farm, turbine, faulty], acked.Single(c => c.Kind == TwinChangeKind.AlertAcknowledged && c.TwinId == faulty).Path);

        // The faulty bearing leaves the turbine: only the healthy one counts now, up to the farm.
        await Client.GetTwin(new TwinId(turbine)).RemoveRelationship("c-" + faulty, null);
        var after = await WaitForHealth(farm, h => h.Status == HealthStatus.Normal);
        Assert.Equal((1, healthy), (after.Monitored, after.SourceId));
        Assert.StartsWith($"{farm} Normal: all 1 monitored component normal; lowest health", after.Explain(), StringComparison.Ordinal);

        // Health survives reactivation (it is stored).
        await Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Normal, (await Client.GetTwin(new TwinId(farm)).GetHealth()).Status);
        Assert.Single(await Client.GetTwin(new TwinId(turbine)).GetChildHealth());
    }

    private IChangeFeedGrain Feed => Client.GetGrain<IChangeFeedGrain>(ChangeStreams.Key);

    private IAlertRegistryGrain Registry => Client.GetGrain<IAlertRegistryGrain>(ChangeStreams.Key);

    private async Task Feed4Seconds(string id, ConditionFeed feed)
    {
        var records = feed.Records(0, 4);
        var stream = Client.GetStreamProvider(TelemetryStreams.Provider).GetStream<TelemetryBatch>(StreamId.Create(TelemetryStreams.Namespace, id));
        for (var i = 0; i < records.Count; i += 10)
        {
            await stream.OnNextAsync(new TelemetryBatch(id, [.. records.Skip(i).Take(10)]));
        }
    }

    [Fact]
    public async Task The_alert_registry_keeps_the_latest_revision_whatever_order_changes_arrive_in()
    {
        var twin = Ids.New("mb");
        var raised = new TwinAlert(twin, 1, HealthStatus.Warning, HealthStatus.Warning, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "raised", null, null, null, null);
        var escalated = raised with { Level = HealthStatus.Alarm, PeakLevel = HealthStatus.Alarm, Revision = 2, ChangedAt = raised.ChangedAt.AddSeconds(-5) };
        await Registry.Put(escalated);
        await Registry.Put(raised);   // late, and with a later clock: still the older revision
        Assert.Equal(HealthStatus.Alarm, Assert.Single(await Registry.List(false), a => a.TwinId == twin).Level);

        await Registry.Put(escalated with { ClearedAt = DateTimeOffset.UtcNow, Revision = 3 });
        Assert.DoesNotContain(await Registry.List(false), a => a.TwinId == twin);
        // The twin deleted and created again numbers its alerts from 1: a newer alert is taken.
        var again = raised with { RaisedAt = DateTimeOffset.UtcNow.AddMinutes(1) };
        await Registry.Put(again);
        Assert.Equal(again, Assert.Single(await Registry.List(false), a => a.TwinId == twin));
        Assert.Contains(await Registry.List(true), a => a.TwinId == twin && !a.IsOpen);
    }

    private Task<TwinHealth> WaitForHealth(string id, Func<TwinHealth, bool> done) =>
        Eventually.WaitFor(() => Client.GetTwin(new TwinId(id)).GetHealth(), done, Patience, h => $"twin {id} never reached the expected health; last: {h.Explain()}");

    private async Task<List<TwinChange>> ReadUntil(Guid epoch, long cursor, Func<List<TwinChange>, bool> done)
    {
        var events = new List<TwinChange>();
        var deadline = DateTime.UtcNow + Patience;
        while (!done(events))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the change feed never showed the expected events; saw: {string.Join(", ", events.Select(e => $"{e.Kind} {e.TwinId}"))}");
            var page = await Feed.Read(epoch, cursor, 1000, TimeSpan.FromSeconds(1));
            epoch = page.Epoch;
            events.AddRange(page.Events);
            cursor = page.Next;
        }

        return events;
    }
}
