using TwinCluster.Dashboard.Services;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Tests.Components;

public sealed class AlertListTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static TwinAlert Alert(string twin, HealthStatus level, int minutes, long revision = 1, bool acknowledged = false, bool cleared = false) =>
        new(twin, 1, level, level, T0.AddMinutes(minutes), T0.AddMinutes(minutes), "why", acknowledged ? "op" : null, acknowledged ? T0 : null,
            acknowledged ? "note" : null, cleared ? T0.AddMinutes(minutes + 1) : null, revision);

    [Fact]
    public void Open_alarms_come_first_then_warnings_then_the_cleared_ones()
    {
        var list = new AlertList();
        list.Load([
            Alert("cleared", HealthStatus.Warning, 5, cleared: true),
            Alert("warning", HealthStatus.Warning, 3),
            Alert("alarm-acked", HealthStatus.Alarm, 1, acknowledged: true),
            Alert("alarm", HealthStatus.Alarm, 0),
        ]);

        Assert.Equal(["alarm", "alarm-acked", "warning", "cleared"], list.View(null, AlertLevelFilter.All, includeCleared: true).Select(a => a.TwinId));
        Assert.Equal(["alarm", "alarm-acked", "warning"], list.View(null, AlertLevelFilter.All, includeCleared: false).Select(a => a.TwinId));
    }

    [Fact]
    public void Filters_by_subtree_and_level()
    {
        var list = new AlertList();
        list.Load([Alert("wt-01-gen-de", HealthStatus.Alarm, 0), Alert("wt-02-gbx", HealthStatus.Warning, 0), Alert("wt-01-mb", HealthStatus.Warning, 0)]);
        var wt01 = new HashSet<string>(["wt-01", "wt-01-gen-de", "wt-01-mb"]);

        Assert.Equal(["wt-01-gen-de", "wt-01-mb"], list.View(wt01, AlertLevelFilter.All, true).Select(a => a.TwinId));
        Assert.Equal(["wt-01-mb"], list.View(wt01, AlertLevelFilter.Warning, true).Select(a => a.TwinId));
        Assert.Equal(["wt-01-gen-de"], list.View(null, AlertLevelFilter.Alarm, true).Select(a => a.TwinId));
    }

    [Fact]
    public void Live_changes_keep_the_newest_revision_and_ignore_health_events()
    {
        var list = new AlertList();
        var raised = Alert("b", HealthStatus.Warning, 0, revision: 1);
        list.Load([raised]);
        var escalated = raised with { Level = HealthStatus.Alarm, PeakLevel = HealthStatus.Alarm, Revision = 2 };

        Assert.True(list.Apply([new TwinChange(1, TwinChangeKind.AlertEscalated, "b", ["b"], T0, null, escalated)]));
        Assert.False(list.Apply([new TwinChange(2, TwinChangeKind.AlertRaised, "b", ["b"], T0, null, raised)]));
        Assert.False(list.Apply([new TwinChange(3, TwinChangeKind.Health, "b", ["b"], T0, TwinHealth.Unknown("b", "m"), null)]));

        var shown = Assert.Single(list.View(null, AlertLevelFilter.All, true));
        Assert.Equal(HealthStatus.Alarm, shown.Level);
        Assert.True(AlertList.IsEscalated(shown));
        Assert.False(AlertList.IsEscalated(shown with { AcknowledgedAt = T0, AcknowledgedBy = "op" }));
        Assert.False(AlertList.IsEscalated(raised));
    }
}
