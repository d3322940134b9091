using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Models;

namespace TwinCluster.Grains.Health;

/// <summary>What health needs from the models, cached per twin: its label and the configured weight of each child's model.</summary>
public sealed class HealthModels(ModelCache models, HealthOptions options)
{
    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private string? _label;

    /// <summary>
    /// The twin's health now (<see cref="HealthLedger.Compute"/>): its own <paramref name="condition"/> under its
    /// model's label, rolled up with the children's reports weighted by their models.
    /// </summary>
    public async Task<TwinHealth> ComputeAsync(HealthLedger ledger, string modelId, ComponentCondition? condition, DateTimeOffset createdAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var reports = ledger.ChildReports();
        var label = condition is null ? null : await LabelAsync(modelId);
        var children = new List<(TwinHealth, double)>(reports.Count);
        foreach (var child in reports)
        {
            children.Add((child, await WeightOfAsync(child.ModelId)));
        }

        return ledger.Compute(modelId, label, condition, children, createdAt, now);
    }

    /// <summary>The model's display name, or the name in its id.</summary>
    public async Task<string> LabelAsync(string modelId)
    {
        if (_label is null)
        {
            var model = await models.GetAsync(modelId);
            _label = model.Interface.DisplayName?.Default ?? NameOf(modelId);
        }

        return _label;
    }

    /// <summary>The weight of a child of <paramref name="modelId"/> (from its model or its nearest base); 1 when none is configured.</summary>
    public async Task<double> WeightOfAsync(string modelId)
    {
        if (options.Weights.Count == 0)
        {
            return 1;
        }

        if (!_weights.TryGetValue(modelId, out var weight))
        {
            weight = 1;
            try
            {
                var model = await models.GetAsync(modelId);
                foreach (var id in model.Interface.AllBases.Prepend(modelId))
                {
                    if (options.Weights.FirstOrDefault(w => w.Model == id) is { } configured)
                    {
                        weight = configured.Weight;
                        break;
                    }
                }
            }
            catch (TwinOperationException)
            {
                // A model that cannot be read weighs 1 (counted fully) rather than hiding its twin's health.
            }

            _weights[modelId] = weight;
        }

        return weight;
    }

    /// <summary>Forgets the label (the twin was deleted; one created again may have another model).</summary>
    public void Reset() => _label = null;

    private static string NameOf(string modelId)
    {
        var start = modelId.LastIndexOf(':') + 1;
        var end = modelId.IndexOf(';', StringComparison.Ordinal);
        return end > start ? modelId[start..end] : modelId;
    }
}
