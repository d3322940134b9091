using Microsoft.Extensions.Options;
using TwinCluster.Storage.History;

namespace TwinCluster.Grains.History;

/// <summary>Fails start-up with every problem of the history settings, each naming its setting.</summary>
public sealed class HistoryOptionsValidator : IValidateOptions<HistoryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
