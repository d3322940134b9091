using System.Security.Cryptography;

namespace TwinCluster.Grains.Security;

/// <summary>Random secrets: passwords and token parts, URL-safe base64 without padding.</summary>
public static class Secrets
{
    /// <summary><paramref name="bytes"/> random bytes as URL-safe base64 (32 bytes: 43 characters, 256 bits).</summary>
    public static string Random(int bytes = 32)
    {
        var raw = RandomNumberGenerator.GetBytes(bytes);
        return Convert.ToBase64String(raw).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Random lower-case hex, <paramref name="bytes"/> bytes of it.</summary>
    public static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
