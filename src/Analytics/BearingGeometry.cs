namespace TwinCluster.Analytics;

/// <summary>
/// Rolling-element bearing geometry. Diameters in any one unit (only their ratio matters).
/// </summary>
public sealed record BearingGeometry(int Balls, double BallDiameter, double PitchDiameter, double ContactAngleDeg)
{
    /// <summary>Defect frequencies for a shaft turning at <paramref name="shaftHz"/> with a stationary outer race.</summary>
    public FaultFrequencies FaultFrequencies(double shaftHz)
    {
        var orders = FaultOrders();
        return new FaultFrequencies(orders.Bpfo * shaftHz, orders.Bpfi * shaftHz, orders.Bsf * shaftHz, orders.Ftf * shaftHz);
    }

    /// <summary>Defect frequencies as multiples of shaft speed (orders).</summary>
    public FaultFrequencies FaultOrders()
    {
        if (Balls <= 0 || BallDiameter <= 0 || PitchDiameter <= BallDiameter)
        {
            throw new InvalidOperationException($"Invalid bearing geometry {this}.");
        }

        var ratio = BallDiameter / PitchDiameter * Math.Cos(ContactAngleDeg * Math.PI / 180.0);
        var bpfo = Balls / 2.0 * (1 - ratio);
        var bpfi = Balls / 2.0 * (1 + ratio);
        var bsf = PitchDiameter / (2.0 * BallDiameter) * (1 - ratio * ratio);
        var ftf = 0.5 * (1 - ratio);
        return new FaultFrequencies(bpfo, bpfi, bsf, ftf);
    }

    /// <summary>Parses "BALLS,BALL_DIAMETER,PITCH_DIAMETER,CONTACT_ANGLE_DEG" (invariant culture).</summary>
    public static BearingGeometry Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4)
        {
            throw new FormatException("Bearing geometry must be BALLS,BALL_DIAMETER,PITCH_DIAMETER,CONTACT_ANGLE_DEG.");
        }

        var ci = System.Globalization.CultureInfo.InvariantCulture;
        return new BearingGeometry(int.Parse(parts[0], ci), double.Parse(parts[1], ci), double.Parse(parts[2], ci), double.Parse(parts[3], ci));
    }
}
