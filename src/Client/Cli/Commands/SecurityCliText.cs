using System.Globalization;
using System.Text.RegularExpressions;

namespace TwinCluster.Cli.Commands;

/// <summary>Parsing shared by the devices, auth and audit commands.</summary>
public static partial class SecurityCliText
{
    /// <summary>Who the audit log records for a command through the gateway: <c>gateway:{OS user}</c>.</summary>
    public static string Actor => $"gateway:{Environment.UserName}";

    /// <summary>A duration such as <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>, or a time span <c>1.00:00:00</c>.</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        var match = DurationPattern().Match(text.Trim());
        if (match.Success)
        {
            var n = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var value = match.Groups[2].Value switch
            {
                "d" => TimeSpan.FromDays(n),
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            };
            if (value > TimeSpan.Zero)
            {
                return value;
            }
        }
        else if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw new UsageException($"{option} '{text}' is not a positive duration (e.g. 30d, 12h, 90m, 45s)");
    }

    /// <summary>A point in time: an ISO 8601 timestamp, or a duration back from now (<c>1h</c> = an hour ago).</summary>
    public static DateTimeOffset ParseSince(string text, string option)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        try
        {
            return DateTimeOffset.UtcNow - ParseDuration(text, option);
        }
        catch (UsageException)
        {
            throw new UsageException($"{option} '{text}' is neither a timestamp (2026-12-01T10:00:00Z) nor a duration back from now (1h, 7d)");
        }
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([dhms])$")]
    private static partial Regex DurationPattern();
}
