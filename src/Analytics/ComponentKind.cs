namespace TwinCluster.Analytics;

/// <summary>Wind-turbine component kinds with their own vibration severity limits.</summary>
public enum ComponentKind
{
    /// <summary>General industrial machine (ISO 10816-3 style limits).</summary>
    Generic,

    /// <summary>Main (rotor) bearing.</summary>
    MainBearing,

    /// <summary>Gearbox.</summary>
    Gearbox,

    /// <summary>Generator.</summary>
    Generator,
}
