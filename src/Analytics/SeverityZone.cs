namespace TwinCluster.Analytics;

/// <summary>Evaluation zones in the manner of ISO 10816: A new, B unrestricted, C restricted (warning), D damage (alarm).</summary>
public enum SeverityZone
{
    /// <summary>Newly commissioned machine level.</summary>
    A,

    /// <summary>Acceptable for unrestricted long-term operation.</summary>
    B,

    /// <summary>Warning: unsatisfactory for long-term operation.</summary>
    C,

    /// <summary>Alarm: severe enough to cause damage.</summary>
    D,
}
