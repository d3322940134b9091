namespace TwinCluster.Grains.Health;

/// <summary>How health rolls up the containment tree (configuration section <c>TwinCluster:Health</c>).</summary>
public sealed class HealthOptions : ISelfChecking
{
    /// <summary>How a container's index is computed from its components' (default worst-of).</summary>
    public HealthRule Rule { get; set; } = HealthRule.WorstOf;

    /// <summary>Per-model weights; models not listed weigh 1.</summary>
    public List<HealthWeight> Weights { get; set; } = [];

    /// <summary>A twin reports a changed index to its container only once it moved by this much (default 0.05).</summary>
    public double IndexDeadband { get; set; } = 0.05;

    /// <summary>
    /// A twin whose wording changed (velocity, RUL) but not its status re-reports after this long, so the explanation
    /// up the tree stays current (default 10 minutes).
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Cleared alerts a component keeps (default 20).</summary>
    public int ClearedAlertsKept { get; set; } = 20;

    /// <summary>Events the change feed keeps for readers (default 10,000).</summary>
    public int FeedCapacity { get; set; } = 10_000;

    /// <summary>What is out of range, each naming its setting; empty when all is well.</summary>
    public IEnumerable<string> Problems()
    {
        const string section = "TwinCluster:Health";
        if (IndexDeadband is not (>= 0 and <= 1))
        {
            yield return $"{section}:IndexDeadband {IndexDeadband} must be between 0 and 1";
        }

        if (RefreshInterval <= TimeSpan.Zero)
        {
            yield return $"{section}:RefreshInterval must be positive";
        }

        if (ClearedAlertsKept is < 0 or > 10_000)
        {
            yield return $"{section}:ClearedAlertsKept must be between 0 and 10000";
        }

        if (FeedCapacity is < 10 or > 10_000_000)
        {
            yield return $"{section}:FeedCapacity must be between 10 and 10000000";
        }

        for (var i = 0; i < Weights.Count; i++)
        {
            var w = Weights[i];
            if (string.IsNullOrWhiteSpace(w.Model) || !w.Model.StartsWith("dtmi:", StringComparison.Ordinal))
            {
                yield return $"{section}:Weights:{i}:Model '{w.Model}' must be a model id (dtmi:…)";
            }

            if (w.Weight is not (>= 0 and <= 1))
            {
                yield return $"{section}:Weights:{i}:Weight {w.Weight} must be between 0 and 1";
            }
        }
    }
}
