namespace TwinCluster.Grains.Interfaces;

/// <summary>Where a desired property stands with the device.</summary>
public enum DesiredAckState
{
    /// <summary>Set, not yet acknowledged for its version.</summary>
    Pending = 0,

    /// <summary>The device acknowledged this version with a success status (2xx).</summary>
    Accepted = 1,

    /// <summary>The device refused this version (status 400 and up), with its description.</summary>
    Refused = 2,

    /// <summary>The device's latest acknowledgement is for an older version than the one desired now.</summary>
    Stale = 3,
}
