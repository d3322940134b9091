using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TwinCluster.Grains.Interfaces.Settings;

/// <summary>
/// Checks settings of <paramref name="section"/>: first their data annotations (<c>Section:Member: message</c>), and
/// when those pass, the cross-field <paramref name="rules"/>, whose messages name their keys themselves.
/// </summary>
public sealed class TwinOptionsValidator<T>(string section, Func<T, IEnumerable<string>>? rules = null) : IValidateOptions<T>
    where T : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is not null && name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Fail(results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        var problems = rules?.Invoke(options).ToList() ?? [];
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Rules written as a check that throws an <see cref="ArgumentException"/> naming the key: its message, or none.</summary>
    public static IEnumerable<string> Throwing(Action check)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            check();
        }
        catch (ArgumentException ex)
        {
            return [ex.Message];
        }

        return [];
    }
}
