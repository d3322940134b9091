using Microsoft.Extensions.Options;

namespace TwinCluster.Grains.Condition;

/// <summary>Fails start-up on a condition setting out of range, naming it.</summary>
public sealed class ConditionSettingsValidator : IValidateOptions<ConditionSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ConditionSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
