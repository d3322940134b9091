using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TwinCluster.Grains.Security;

/// <summary>
/// Salted PBKDF2-HMAC-SHA512 password hashes in Mosquitto 2.0's <c>$7$</c> form,
/// <c>$7$ITERATIONS$BASE64(SALT)$BASE64(HASH)</c> (12 random salt bytes, a 64-byte hash), so the stored hash of a
/// device goes into a Mosquitto <c>password_file</c> as it is: no password is ever kept to export.
/// </summary>
public static class PasswordHash
{
    /// <summary>PBKDF2 rounds for a password a person chose: OWASP's figure for PBKDF2-HMAC-SHA512 (2023).</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>
    /// PBKDF2 rounds for a secret TwinCluster generated (a device credential, <see cref="Secrets.Random"/>): its random
    /// bits, not the rounds, are what resists guessing, and every CONNECT pays the rounds. At 210,000 rounds a sign-in
    /// took about a quarter of a second of CPU here, so eight devices reconnecting stalled ingest for two seconds
    /// (scripts/bench-security: a 7.9x p99); at 1,000 it is about a millisecond.
    /// </summary>
    public const int GeneratedSecretIterations = 1_000;

    private const string Prefix = "$7$";
    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    /// <summary>A new hash of <paramref name="password"/> with a fresh random salt.</summary>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>
    /// True when <paramref name="password"/> matches <paramref name="stored"/> (compared in constant time); false for a
    /// wrong password and for a stored value that is not a <c>$7$</c> hash.
    /// </summary>
    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(stored, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Splits a <c>$7$</c> hash into its parts; false when it is not one.</summary>
    public static bool TryParse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (stored is null || !stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[1]);
            hash = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length > 0 && hash.Length == HashBytes;
    }
}
