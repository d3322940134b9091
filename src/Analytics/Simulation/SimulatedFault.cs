namespace TwinCluster.Analytics.Simulation;

/// <summary>Bearing defect a <see cref="BearingVibrationSimulator"/> produces.</summary>
public enum SimulatedFault
{
    /// <summary>No defect: shaft lines and noise only.</summary>
    None,

    /// <summary>Outer-race spall: impacts at BPFO, steady amplitude (stationary race, fixed load zone).</summary>
    OuterRace,

    /// <summary>Inner-race spall: impacts at BPFI, amplitude-modulated at shaft speed as the defect turns through the load zone.</summary>
    InnerRace,

    /// <summary>Rolling-element defect: impacts at twice the ball spin frequency, modulated at the cage frequency.</summary>
    Ball,

    /// <summary>Cage defect: impacts once per cage revolution (FTF).</summary>
    Cage,
}
