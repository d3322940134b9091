using Microsoft.Extensions.Logging.Abstractions;
using TwinCluster.Grains.Health;
using TwinCluster.Grains.Interfaces;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Engines;

/// <summary>The health ledger as an object: what it reports, what it keeps pending, and what a delivery takes.</summary>
public sealed class HealthLedgerTests
{
    private const string Turbine = "wt-1";
    private const string TurbineModel = "dtmi:test:Turbine;1";

    private static readonly HealthOptions Options = new() { IndexDeadband = 0.05, RefreshInterval = TimeSpan.FromMinutes(10), ClearedAlertsKept = 2 };

    private static HealthLedger Create() => new(Turbine, new HealthState(), Options, TwinMetrics, NullLogger.Instance);

    private static TwinHealth Child(string id, HealthStatus status, double index, long version = 1, DateTimeOffset since = default) =>
        new(id, "dtmi:test:Bearing;1", status, index, id, "Bearing", [], $"summary of {id}", "Normal", null, null,
            1, status == HealthStatus.Alarm ? 1 : 0, status == HealthStatus.Warning ? 1 : 0, version, T0, Since: since);

    private static TwinHealth Compute(HealthLedger ledger, DateTimeOffset now) =>
        ledger.Compute(TurbineModel, null, null, [.. ledger.ChildReports().Select(c => (c, 1.0))], T0, now);

    [Fact]
    public void A_new_roll_up_is_reported_once_with_the_next_version_and_goes_to_the_container_and_the_stream()
    {
        var ledger = Create();
        Assert.True(ledger.AcceptChildReport(Child("b-1", HealthStatus.Warning, 0.7)));

        Assert.True(ledger.Report(Compute(ledger, T0), hasContainer: true));
        Assert.False(ledger.Report(Compute(ledger, T0.AddMinutes(1)), hasContainer: true));   // nothing new: no second report

        Assert.Equal((HealthStatus.Warning, 1L), (ledger.State.Reported!.Status, ledger.State.Reported.Version));
        Assert.True(ledger.Dirty);
        var delivery = ledger.TakeDelivery();
        Assert.Same(ledger.State.Reported, delivery.ToContainer);
        Assert.Equal([TwinChangeKind.Health], delivery.Changes.Select(c => c.Kind));
        Assert.Empty(ledger.TakeDelivery().Changes);   // events are taken once

        ledger.ParentDone(delivery.ToContainer!);
        Assert.False(ledger.State.ParentPending);
        Assert.False(ledger.HasDeliveries);
    }

    [Fact]
    public void A_report_made_while_the_last_one_was_on_its_way_stays_pending()
    {
        var ledger = Create();
        ledger.AcceptChildReport(Child("b-1", HealthStatus.Normal, 0.9));
        ledger.Report(Compute(ledger, T0), hasContainer: true);
        var sent = ledger.TakeDelivery().ToContainer!;

        ledger.AcceptChildReport(Child("b-1", HealthStatus.Alarm, 0.2, version: 2));
        Assert.True(ledger.Report(Compute(ledger, T0.AddSeconds(1)), hasContainer: true));
        ledger.ParentDone(sent);

        Assert.True(ledger.State.ParentPending);
        Assert.Equal(2, ledger.TakeDelivery().ToContainer!.Version);
    }

    [Fact]
    public void An_older_child_report_is_refused_and_a_child_that_left_is_forgotten_only_when_no_longer_contained()
    {
        var ledger = Create();
        Assert.True(ledger.AcceptChildReport(Child("b-1", HealthStatus.Warning, 0.7, version: 3)));
        Assert.False(ledger.AcceptChildReport(Child("b-1", HealthStatus.Normal, 0.9, version: 2)));
        Assert.False(ledger.AcceptChildReport(Child("b-1", HealthStatus.Normal, 0.9, version: 3)));
        Assert.True(ledger.AcceptChildReport(Child("b-1", HealthStatus.Normal, 0.9, version: 1, since: T0.AddDays(1))));   // a new life of the twin

        Assert.False(ledger.ForgetChild("b-1", stillContained: true));
        Assert.Single(ledger.Children);
        Assert.True(ledger.ForgetChild("b-1", stillContained: false));
        Assert.Empty(ledger.Children);

        Assert.False(ledger.AdoptChild("b-2", Child("b-2", HealthStatus.Normal, 0.9), stillContained: false));
        Assert.True(ledger.AdoptChild("b-2", Child("b-2", HealthStatus.Normal, 0.9), stillContained: true));
        Assert.True(ledger.AdoptChild("b-2", TwinHealth.Unknown("b-2", "dtmi:test:Bearing;1"), stillContained: true));
        Assert.Empty(ledger.Children);
    }

    [Fact]
    public void An_acknowledgement_needs_an_open_alert_and_goes_to_the_registry_until_it_takes_it()
    {
        var ledger = Create();
        var none = Assert.Throws<TwinOperationException>(() => ledger.Acknowledge("ops", null, T0));
        Assert.Equal(TwinErrorCode.NotFound, none.Code);
        Assert.False(ledger.Dirty);

        ledger.State.OpenAlert = new TwinAlert(Turbine, 1, HealthStatus.Warning, HealthStatus.Warning, T0, T0, "x", null, null, null, null);
        var acknowledged = ledger.Acknowledge("ops", "looking", T0.AddMinutes(1));

        Assert.Equal("ops", acknowledged.AcknowledgedBy);
        var delivery = ledger.TakeDelivery();
        Assert.Equal([acknowledged], delivery.ToRegistry);
        Assert.Equal([TwinChangeKind.AlertAcknowledged], delivery.Changes.Select(c => c.Kind));
        Assert.True(ledger.HasPendingReports);
        ledger.RegistryDone(acknowledged);
        Assert.False(ledger.HasPendingReports);
        Assert.Equal([acknowledged], ledger.Alerts);
    }

    [Fact]
    public void Put_in_a_container_it_pushes_what_it_has_reported_and_a_reset_forgets_everything()
    {
        var ledger = Create();
        Assert.False(ledger.ContainerAdded());   // nothing reported yet: the container pulls it
        ledger.AcceptChildReport(Child("b-1", HealthStatus.Normal, 0.9));
        Assert.True(ledger.Report(Compute(ledger, T0), hasContainer: false));
        Assert.False(ledger.State.ParentPending);
        Assert.True(ledger.ContainerAdded());
        Assert.True(ledger.State.ParentPending);

        ledger.Reset(new HealthState());
        Assert.False(ledger.HasDeliveries);
        Assert.Null(ledger.State.Reported);
        Assert.False(ledger.Dirty);
    }
}
