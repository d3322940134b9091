namespace TwinCluster.Grains.Condition;

/// <summary>Alert level of a component, from its health index with hysteresis (see <see cref="ConditionOptions"/>).</summary>
public enum AlertState
{
    /// <summary>Health above the warning level.</summary>
    Normal,

    /// <summary>Health below the warning level (zone B/C on the analyzer's scale by default).</summary>
    Warning,

    /// <summary>Health below the alarm level (0.5 by default: a developed defect or velocity at the C/D limit).</summary>
    Alarm,
}
