namespace TwinCluster.Analytics;

/// <summary>Diagnosed machine condition.</summary>
public enum FaultKind
{
    /// <summary>No fault signature and severity within normal limits.</summary>
    Normal,

    /// <summary>Inner-race bearing defect (BPFI lines, shaft sidebands).</summary>
    InnerRace,

    /// <summary>Outer-race bearing defect (BPFO lines).</summary>
    OuterRace,

    /// <summary>Rolling-element defect (BSF lines, cage sidebands).</summary>
    Ball,

    /// <summary>Cage defect (FTF lines).</summary>
    Cage,

    /// <summary>Imbalance (dominant 1× in velocity).</summary>
    Imbalance,

    /// <summary>Misalignment (strong 2× relative to 1× in velocity).</summary>
    Misalignment,

    /// <summary>Abnormal vibration without a recognised signature.</summary>
    Unknown,
}
