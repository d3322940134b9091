namespace TwinCluster.Analytics.Tests;

public sealed class KinematicsTests
{
    [Fact]
    public void Cwru_drive_end_orders_match_the_published_values()
    {
        var o = new BearingGeometry(9, 0.3126, 1.537, 0).FaultOrders();
        Assert.Equal(3.5848, o.Bpfo, 3e-4);
        Assert.Equal(5.4152, o.Bpfi, 3e-4);
        Assert.Equal(0.39828, o.Ftf, 3e-4);
        Assert.Equal(2.357, o.Bsf, 1e-3);
    }

    [Fact]
    public void Frequencies_scale_with_shaft_speed_and_parse_from_text()
    {
        var g = BearingGeometry.Parse("13, 3.5, 25.6, 0");
        var f = g.FaultFrequencies(30);
        Assert.Equal(g.FaultOrders().Bpfi * 30, f.Bpfi, 1e-9);
        Assert.Equal(13 * 30, f.Bpfo + f.Bpfi, 1e-9);
        Assert.Equal(30 * 3, Kinematics.GearMeshHz(3, 30));
        Assert.Throws<FormatException>(() => BearingGeometry.Parse("1,2"));
    }

    [Fact]
    public void Severity_zones_classify_and_health_falls_with_level()
    {
        var zones = SeverityZones.For(ComponentKind.Gearbox);
        Assert.Equal(SeverityZone.A, zones.Classify(1.0));
        Assert.Equal(SeverityZone.B, zones.Classify(2.0));
        Assert.Equal(SeverityZone.C, zones.Classify(4.0));
        Assert.Equal(SeverityZone.D, zones.Classify(6.0));
        Assert.True(zones.Health(1) > zones.Health(3) && zones.Health(3) > zones.Health(6));
        Assert.Equal(0.75, zones.Health(zones.BoundaryBC), 1e-12);
        Assert.Equal(0.5, zones.Health(zones.BoundaryCD), 1e-12);
        Assert.Equal(0, zones.Health(100));
    }
}
