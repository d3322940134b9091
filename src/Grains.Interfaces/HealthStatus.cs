namespace TwinCluster.Grains.Interfaces;

/// <summary>The health of a twin, worst last: a twin's status is never better than the worst it contains.</summary>
public enum HealthStatus
{
    /// <summary>Nothing monitored has reported yet (no analysed window, or no monitored component below).</summary>
    Unknown = 0,

    /// <summary>Monitored and within limits.</summary>
    Normal = 1,

    /// <summary>A component (this one or one below) is past its warning level.</summary>
    Warning = 2,

    /// <summary>A component (this one or one below) is past its alarm level.</summary>
    Alarm = 3,
}
