using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Security;

/// <summary>Turns a validated JWT's claims into a <see cref="Principal"/> as <see cref="JwtOptions"/> says.</summary>
public static class ClaimsPrincipals
{
    /// <summary>
    /// The principal <c>jwt:{name}</c> with the known roles found in the roles claim (unknown names are ignored) and
    /// the valid twin ids of the scope claim.
    /// </summary>
    public static Principal FromClaims(IEnumerable<Claim> claims, JwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(options);
        var list = claims as IReadOnlyCollection<Claim> ?? claims.ToList();
        var name = list.FirstOrDefault(c => c.Type == options.NameClaim)?.Value
            ?? list.FirstOrDefault(c => c.Type is "sub" or ClaimTypes.NameIdentifier)?.Value
            ?? "unknown";
        var roles = Values(list, options.RolesClaim)
            .Select(v => Enum.TryParse<SecurityRole>(v, ignoreCase: true, out var role) && Enum.IsDefined(role) && !int.TryParse(v, out _) ? role : (SecurityRole?)null)
            .OfType<SecurityRole>()
            .Distinct()
            .ToImmutableArray();
        var scopes = Values(list, options.ScopeClaim).Where(s => TwinId.Check(s) is null).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return new Principal($"jwt:{name}", roles, scopes, "jwt");
    }

    // A claim may repeat, hold a JSON array, or (dotted path) sit inside a JSON object claim.
    private static IEnumerable<string> Values(IReadOnlyCollection<Claim> claims, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var type = dot < 0 ? path : path[..dot];
        foreach (var claim in claims.Where(c => c.Type == type))
        {
            if (dot < 0 && !claim.Value.StartsWith('['))
            {
                yield return claim.Value;
                continue;
            }

            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(claim.Value);
                element = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;
            }

            foreach (var segment in dot < 0 ? [] : path[(dot + 1)..].Split('.'))
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
                {
                    element = default;
                    break;
                }
            }

            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
                {
                    yield return item.GetString()!;
                }
            }
            else if (element.ValueKind == JsonValueKind.String)
            {
                yield return element.GetString()!;
            }
        }
    }
}
