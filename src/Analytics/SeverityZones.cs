namespace TwinCluster.Analytics;

/// <summary>
/// Velocity RMS zone boundaries in mm/s over a frequency band, configurable per component model.
/// ISO 10816-21 gives two limits per component (warning, alarm); A/B is taken as half the warning limit.
/// </summary>
public sealed record SeverityZones(double BoundaryAB, double BoundaryBC, double BoundaryCD, double LowHz = 10, double HighHz = 1000)
{
    /// <summary>Default limits for a component kind (mm/s RMS, 10–1000 Hz).</summary>
    public static SeverityZones For(ComponentKind kind) => kind switch
    {
        ComponentKind.MainBearing => new SeverityZones(1.0, 2.0, 3.2),
        ComponentKind.Gearbox => new SeverityZones(1.75, 3.5, 5.6),
        ComponentKind.Generator => new SeverityZones(3.0, 6.0, 10.0),
        _ => new SeverityZones(1.4, 2.8, 4.5),
    };

    /// <summary>The zone of a velocity RMS value.</summary>
    public SeverityZone Classify(double velocityRmsMmPerS) =>
        velocityRmsMmPerS < BoundaryAB ? SeverityZone.A
        : velocityRmsMmPerS < BoundaryBC ? SeverityZone.B
        : velocityRmsMmPerS < BoundaryCD ? SeverityZone.C
        : SeverityZone.D;

    /// <summary>
    /// A continuous health in [0, 1] on the analyzer's scale (0.5 at the alarm): 1 at rest, 0.9 at A/B, 0.75 at B/C
    /// (warning), 0.5 at C/D (alarm), 0 at twice the C/D limit.
    /// </summary>
    public double Health(double velocityRmsMmPerS)
    {
        var v = Math.Max(0, velocityRmsMmPerS);
        ReadOnlySpan<double> x = [0, BoundaryAB, BoundaryBC, BoundaryCD, 2 * BoundaryCD];
        ReadOnlySpan<double> y = [1, 0.9, 0.75, 0.5, 0];
        for (var i = 1; i < x.Length; i++)
        {
            if (v <= x[i])
            {
                return y[i - 1] + (y[i] - y[i - 1]) * (v - x[i - 1]) / (x[i] - x[i - 1]);
            }
        }

        return 0;
    }
}
