using Microsoft.Extensions.Logging.Abstractions;
using TwinCluster.Grains.Health;
using TwinCluster.Grains.Interfaces;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Health;

public sealed class HealthCourierTests
{
    private static readonly HealthOptions Options = new() { IndexDeadband = 0.05, RefreshInterval = TimeSpan.FromMinutes(10), ClearedAlertsKept = 2 };

    private sealed class Outlets : IHealthOutlets
    {
        public string? ContainerId { get; set; } = "farm";

        public Exception? ReportFails { get; set; }

        public Exception? PublishFails { get; set; }

        public List<(string Container, TwinHealth Health)> Reports { get; } = [];

        public List<TwinChange> Published { get; } = [];

        public Task ReportToContainerAsync(string containerId, TwinHealth health)
        {
            if (ReportFails is { } fail)
            {
                throw fail;
            }

            Reports.Add((containerId, health));
            return Task.CompletedTask;
        }

        public Task PutAlertAsync(TwinAlert alert) => Task.CompletedTask;

        public Task PublishAsync(IReadOnlyList<TwinChange> changes)
        {
            if (PublishFails is { } fail)
            {
                throw fail;
            }

            Published.AddRange(changes);
            return Task.CompletedTask;
        }
    }

    private static HealthLedger Reported()
    {
        var ledger = new HealthLedger("wt-1", new HealthState(), Options, TwinMetrics, NullLogger.Instance);
        ledger.AcceptChildReport(new TwinHealth("b-1", "dtmi:test:Bearing;1", HealthStatus.Warning, 0.7, "b-1", "Bearing", [], "worn", "Normal",
            null, null, 1, 0, 1, 1, T0));
        Assert.True(ledger.Report(ledger.Compute("dtmi:test:Turbine;1", null, null, [.. ledger.ChildReports().Select(c => (c, 1.0))], T0, T0),
            hasContainer: true));
        return ledger;
    }

    [Fact]
    public async Task A_delivered_report_goes_to_the_container_and_the_change_events_to_the_stream()
    {
        var ledger = Reported();
        var outlets = new Outlets();

        Assert.False(await new HealthCourier("wt-1", ledger, outlets, NullLogger.Instance).DeliverAsync(ledger.TakeDelivery()));

        Assert.Equal("farm", Assert.Single(outlets.Reports).Container);
        Assert.Equal([TwinChangeKind.Health], outlets.Published.Select(c => c.Kind));
        Assert.False(ledger.State.ParentPending);
    }

    [Theory]
    [InlineData(TwinErrorCode.Conflict)]
    [InlineData(TwinErrorCode.NotFound)]
    public async Task A_container_that_refuses_the_report_counts_as_done(TwinErrorCode refusal)
    {
        var ledger = Reported();
        var outlets = new Outlets { ReportFails = new TwinOperationException(refusal, "not my child") };

        Assert.False(await new HealthCourier("wt-1", ledger, outlets, NullLogger.Instance).DeliverAsync(ledger.TakeDelivery()));

        Assert.False(ledger.State.ParentPending);
    }

    [Fact]
    public async Task A_failed_report_stays_pending_for_a_retry_and_a_failed_publish_is_dropped()
    {
        var ledger = Reported();
        var outlets = new Outlets { ReportFails = new TimeoutException("container busy"), PublishFails = new InvalidOperationException("stream down") };

        Assert.True(await new HealthCourier("wt-1", ledger, outlets, NullLogger.Instance).DeliverAsync(ledger.TakeDelivery()));

        Assert.True(ledger.State.ParentPending);
        Assert.Empty(ledger.TakeDelivery().Changes);   // events are best-effort: not kept for the retry
    }

    [Fact]
    public async Task Without_a_container_nothing_is_pending_for_one()
    {
        var ledger = Reported();
        var outlets = new Outlets { ContainerId = null };

        Assert.False(await new HealthCourier("wt-1", ledger, outlets, NullLogger.Instance).DeliverAsync(ledger.TakeDelivery()));

        Assert.Empty(outlets.Reports);
        Assert.False(ledger.State.ParentPending);
    }
}
