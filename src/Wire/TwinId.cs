using System.Diagnostics.CodeAnalysis;

namespace TwinCluster.Wire;

/// <summary>
/// A validated twin id: 1 to 128 characters, letters, digits and <c>. _ : -</c>, starting with a letter or digit.
/// The same id is an MQTT topic segment, so <c>/ + #</c> and spaces are refused.
/// </summary>
public readonly record struct TwinId
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Creates an id, throwing <see cref="ArgumentException"/> that says what is wrong with it.</summary>
    public TwinId(string value)
    {
        var problem = Check(value);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(value));
        }

        Value = value;
    }

    /// <summary>The id text.</summary>
    public string Value { get; }

    /// <summary>Returns null when <paramref name="value"/> is a valid twin id, otherwise the reason it is not.</summary>
    public static string? Check([NotNullWhen(false)] string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "twin id is empty";
        }

        if (value.Length > MaxLength)
        {
            return $"twin id '{value[..20]}…' is {value.Length} characters; at most {MaxLength} are allowed";
        }

        if (!char.IsAsciiLetterOrDigit(value[0]))
        {
            return $"twin id '{value}' must start with a letter or digit";
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                return $"twin id '{value}' contains '{c}'; only letters, digits and . _ : - are allowed";
            }
        }

        return null;
    }

    /// <summary>Parses without throwing.</summary>
    public static bool TryParse(string? value, out TwinId id)
    {
        if (Check(value) is null)
        {
            id = new TwinId(value!);
            return true;
        }

        id = default;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
