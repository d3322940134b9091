namespace TwinCluster.Grains.Condition;

/// <summary>
/// How twins of one model (and of models extending it) window and alert (configuration
/// <c>TwinCluster:Condition:Models</c>, a list). Settings left out keep the section's defaults.
/// </summary>
public sealed class ModelConditionSettings
{
    /// <summary>The model id (DTMI).</summary>
    public string Model { get; set; } = "";

    /// <summary>Window length, seconds.</summary>
    public double? WindowSeconds { get; set; }

    /// <summary>Overlap of consecutive windows in [0, 0.9].</summary>
    public double? Overlap { get; set; }

    /// <summary>Record length of a main bearing on the slow-shaft path, seconds.</summary>
    public double? SlowShaftWindowSeconds { get; set; }

    /// <summary>Fewest shaft revolutions a window must span.</summary>
    public double? MinRevolutionsPerWindow { get; set; }

    /// <summary>Health below which a warning is raised.</summary>
    public double? WarningHealth { get; set; }

    /// <summary>Health below which an alarm is raised.</summary>
    public double? AlarmHealth { get; set; }

    /// <summary>These settings over <paramref name="defaults"/>.</summary>
    public ConditionOptions Apply(ConditionOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return defaults with
        {
            WindowSeconds = WindowSeconds ?? defaults.WindowSeconds,
            Overlap = Overlap ?? defaults.Overlap,
            SlowShaftWindowSeconds = SlowShaftWindowSeconds ?? defaults.SlowShaftWindowSeconds,
            MinRevolutionsPerWindow = MinRevolutionsPerWindow ?? defaults.MinRevolutionsPerWindow,
            WarningHealth = WarningHealth ?? defaults.WarningHealth,
            AlarmHealth = AlarmHealth ?? defaults.AlarmHealth,
        };
    }
}
