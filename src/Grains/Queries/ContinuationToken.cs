using System.Text;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries;

/// <summary>An opaque page token: the last id returned, versioned and base64url-encoded.</summary>
public static class ContinuationToken
{
    private const string Prefix = "v1:";

    public static string Encode(string lastId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + lastId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            if (text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
        }

        throw new TwinOperationException(TwinErrorCode.Invalid, "continuation token is not one this cluster issued");
    }
}
