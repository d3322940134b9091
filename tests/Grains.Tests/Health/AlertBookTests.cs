using TwinCluster.Grains.Health;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Tests.Health;

/// <summary>The alert rule: one open alert per component, no repeats, escalation asks for a new acknowledgement.</summary>
public sealed class AlertBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_alert_is_raised_escalated_eased_and_cleared_and_the_same_level_again_changes_nothing()
    {
        var raised = AlertBook.Apply("b", null, 4, HealthStatus.Warning, "b Warning: x", T0);
        Assert.Equal(TwinChangeKind.AlertRaised, raised.Kind);
        Assert.Equal((5L, HealthStatus.Warning), (raised.Open!.Number, raised.Open.Level));

        var again = AlertBook.Apply("b", raised.Open, 5, HealthStatus.Warning, "b Warning: y", T0.AddMinutes(1));
        Assert.Null(again.Kind);
        Assert.Same(raised.Open, again.Open);

        var acked = AlertBook.Acknowledge("b", raised.Open, "ops", "looking", T0.AddMinutes(2));
        Assert.True(acked.IsAcknowledged);

        var escalated = AlertBook.Apply("b", acked, 5, HealthStatus.Alarm, "b Alarm: z", T0.AddMinutes(3));
        Assert.Equal(TwinChangeKind.AlertEscalated, escalated.Kind);
        Assert.False(escalated.Open!.IsAcknowledged);
        Assert.Equal((5L, HealthStatus.Alarm, "b Alarm: z"), (escalated.Open.Number, escalated.Open.PeakLevel, escalated.Open.Explanation));

        var reacked = AlertBook.Acknowledge("b", escalated.Open, "ops", null, T0.AddMinutes(4));
        var eased = AlertBook.Apply("b", reacked, 5, HealthStatus.Warning, "b Warning: w", T0.AddMinutes(5));
        Assert.Equal(TwinChangeKind.AlertEased, eased.Kind);
        Assert.True(eased.Open!.IsAcknowledged);
        Assert.Equal(HealthStatus.Alarm, eased.Open.PeakLevel);

        var cleared = AlertBook.Apply("b", eased.Open, 5, HealthStatus.Normal, "b Normal", T0.AddMinutes(6));
        Assert.Equal(TwinChangeKind.AlertCleared, cleared.Kind);
        Assert.Null(cleared.Open);
        Assert.Equal(T0.AddMinutes(6), cleared.Changed!.ClearedAt);
        Assert.False(cleared.Changed.IsOpen);

        Assert.Null(AlertBook.Apply("b", null, 5, HealthStatus.Normal, "b Normal", T0).Kind);
    }

    [Fact]
    public void Acknowledging_needs_an_open_alert_and_a_name()
    {
        var none = Assert.Throws<TwinOperationException>(() => AlertBook.Acknowledge("b", null, "ops", null, T0));
        Assert.Equal((TwinErrorCode.NotFound, "twin 'b' has no open alert"), (none.Code, none.Message));

        var open = AlertBook.Apply("b", null, 0, HealthStatus.Alarm, "b Alarm", T0).Open;
        var nobody = Assert.Throws<TwinOperationException>(() => AlertBook.Acknowledge("b", open, " ", null, T0));
        Assert.Equal(TwinErrorCode.Invalid, nobody.Code);
    }
}
