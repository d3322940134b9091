using Microsoft.Extensions.Options;

namespace TwinCluster.Grains;

/// <summary>Fails start-up on settings whose <see cref="ISelfChecking.Problems"/> are not empty, naming each key.</summary>
public sealed class SelfCheckingValidator<T> : IValidateOptions<T>
    where T : class, ISelfChecking
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
