using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Where the next page starts: the query text, the key of the last row returned and how many rows were returned so
/// far (for TOP). Signed with a key derived from the cluster's service id, so a token that was altered, or that
/// another cluster issued, is refused instead of silently reading from a wrong place.
/// </summary>
public sealed record AdtPageToken(string Query, string LastKey, int Returned)
{
    private const string Version = "adt1";

    public string Encode(byte[] key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new[] { Version, Query, LastKey, Returned.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return Base64Url(payload) + "." + Base64Url(Sign(key, payload));
    }

    public static AdtPageToken Decode(string token, byte[] key)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        try
        {
            if (dot > 0)
            {
                var payload = FromBase64Url(token[..dot]);
                var signature = FromBase64Url(token[(dot + 1)..]);
                if (CryptographicOperations.FixedTimeEquals(signature, Sign(key, payload))
                    && JsonSerializer.Deserialize<string[]>(payload) is [Version, var query, var lastKey, var returned]
                    && int.TryParse(returned, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    return new AdtPageToken(query, lastKey, n);
                }
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
        }

        throw new TwinOperationException(TwinErrorCode.Invalid, "continuationToken: this is not a continuation token this cluster issued (it was altered, or comes from another cluster)");
    }

    /// <summary>The signing key of a cluster.</summary>
    public static byte[] KeyFor(string serviceId) => SHA256.HashData(Encoding.UTF8.GetBytes("twincluster adt query token\n" + serviceId));

    private static byte[] Sign(byte[] key, byte[] payload) => HMACSHA256.HashData(key, payload)[..16];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
