namespace TwinCluster.Grains.Condition;

/// <summary>
/// Condition-monitoring settings of a silo (configuration section <c>TwinCluster:Condition</c>): defaults for every
/// monitored component, and per-model overrides. A twin takes the entry of its own model, else of the first of its
/// bases that has one.
/// </summary>
public sealed class ConditionSettings : ISelfChecking
{
    /// <summary>Default window length, seconds (1).</summary>
    public double WindowSeconds { get; set; } = 1.0;

    /// <summary>Default overlap of consecutive windows (0.5).</summary>
    public double Overlap { get; set; } = 0.5;

    /// <summary>
    /// One point of health history per interval (default 1 hour): remaining life is fitted to the last points, so it
    /// appears once about six intervals of a trend exist. The demo shortens it to show RUL within minutes.
    /// </summary>
    public TimeSpan HistoryInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Per-model overrides.</summary>
    public List<ModelConditionSettings> Models { get; set; } = [];

    /// <summary>The options for a model and its bases (nearest first).</summary>
    public ConditionOptions For(string modelId, IEnumerable<string> bases)
    {
        ArgumentNullException.ThrowIfNull(bases);
        var defaults = new ConditionOptions { WindowSeconds = WindowSeconds, Overlap = Overlap, HistoryInterval = HistoryInterval };
        foreach (var id in bases.Prepend(modelId))
        {
            if (Models.FirstOrDefault(m => m.Model == id) is { } entry)
            {
                return entry.Apply(defaults);
            }
        }

        return defaults;
    }

    /// <summary>What is out of range, each naming its setting; empty when all is well.</summary>
    public IEnumerable<string> Problems()
    {
        const string section = "TwinCluster:Condition";
        var defaults = new ConditionOptions { WindowSeconds = 1, Overlap = 0.5, HistoryInterval = HistoryInterval };
        string? Check(ConditionOptions options)
        {
            try
            {
                options.Validate();
                return null;
            }
            catch (ArgumentException ex)
            {
                return ex.Message;
            }
        }

        if (Check(defaults with { WindowSeconds = WindowSeconds, Overlap = Overlap }) is { } problem)
        {
            yield return $"{section}: {problem}";
        }

        for (var i = 0; i < Models.Count; i++)
        {
            var entry = Models[i];
            if (string.IsNullOrWhiteSpace(entry.Model) || !entry.Model.StartsWith("dtmi:", StringComparison.Ordinal))
            {
                yield return $"{section}:Models:{i}:Model '{entry.Model}' must be a model id (dtmi:…)";
            }
            else if (Check(entry.Apply(defaults with { WindowSeconds = WindowSeconds, Overlap = Overlap })) is { } bad)
            {
                yield return $"{section}:Models:{i} ({entry.Model}): {bad}";
            }
        }
    }
}
