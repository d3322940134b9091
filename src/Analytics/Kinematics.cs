namespace TwinCluster.Analytics;

/// <summary>Shaft, gear and speed helpers for order analysis.</summary>
public static class Kinematics
{
    /// <summary>Shaft frequency in Hz from a speed in revolutions per minute.</summary>
    public static double RpmToHz(double rpm) => rpm / 60.0;

    /// <summary>Gear mesh frequency in Hz: teeth times the speed of the shaft carrying that gear.</summary>
    public static double GearMeshHz(int teeth, double shaftHz) => teeth * shaftHz;

    /// <summary>Speed of the driven shaft of a gear pair.</summary>
    public static double DrivenShaftHz(double driverHz, int driverTeeth, int drivenTeeth) => driverHz * driverTeeth / drivenTeeth;

    /// <summary>Harmonics 1, 2, … of of <paramref name="fundamentalHz"/> written to <paramref name="destination"/>.</summary>
    public static void Harmonics(double fundamentalHz, Span<double> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (i + 1) * fundamentalHz;
        }
    }

    /// <summary>Converts a frequency in Hz to an order of the shaft speed.</summary>
    public static double ToOrder(double frequencyHz, double shaftHz) => frequencyHz / shaftHz;
}
