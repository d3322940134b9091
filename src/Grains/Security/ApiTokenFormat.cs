using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace TwinCluster.Grains.Security;

/// <summary>
/// API tokens look like <c>tct_{id}_{secret}</c>: a 12-hex-digit public id (listed, used to revoke) and a 256-bit
/// secret. Only the SHA-256 of the whole token is stored. A fast hash is right here, unlike for passwords: the secret
/// is random and too long to guess, and every HTTP request checks one.
/// </summary>
public static class ApiTokenFormat
{
    /// <summary>The prefix of every token (so scanners and people recognise one).</summary>
    public const string Prefix = "tct_";

    private const int IdHexDigits = 12;

    /// <summary>A new token and its id.</summary>
    public static (string Token, string Id) New()
    {
        var id = Secrets.Hex(IdHexDigits / 2);
        return ($"{Prefix}{id}_{Secrets.Random()}", id);
    }

    /// <summary>The id of a well-formed token; false for anything else (the token's secret is not checked).</summary>
    public static bool TryParse([NotNullWhen(true)] string? token, [NotNullWhen(true)] out string? id)
    {
        id = null;
        if (token is null || token.Length is < 40 or > 200 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var separator = token.IndexOf('_', Prefix.Length);
        if (separator != Prefix.Length + IdHexDigits || !token.AsSpan(Prefix.Length, IdHexDigits).ContainsOnlyHexLower()
            || token.Length - separator - 1 < 32)
        {
            return false;
        }

        foreach (var c in token.AsSpan(separator + 1))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        id = token.Substring(Prefix.Length, IdHexDigits);
        return true;
    }

    /// <summary>The stored form: lower-case hex SHA-256 of the token's UTF-8 bytes.</summary>
    public static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>True when <paramref name="token"/> hashes to <paramref name="sha256"/> (constant-time compare).</summary>
    public static bool Matches(string token, string sha256) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sha256(token)), Encoding.ASCII.GetBytes(sha256));

    private static bool ContainsOnlyHexLower(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
