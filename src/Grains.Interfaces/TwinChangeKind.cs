namespace TwinCluster.Grains.Interfaces;

/// <summary>What a <see cref="TwinChange"/> reports.</summary>
public enum TwinChangeKind
{
    /// <summary>The twin's health changed (status, source, counts, or index by more than the dead band).</summary>
    Health = 1,

    /// <summary>A component raised an alert.</summary>
    AlertRaised = 2,

    /// <summary>An open alert went from warning to alarm (it needs acknowledging again).</summary>
    AlertEscalated = 3,

    /// <summary>An open alert eased from alarm to warning.</summary>
    AlertEased = 4,

    /// <summary>Someone acknowledged an open alert.</summary>
    AlertAcknowledged = 5,

    /// <summary>The component is back to normal: the alert is closed.</summary>
    AlertCleared = 6,
}
