using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace TwinCluster.Storage;

/// <summary>One numbered script embedded from Migrations/*.sql.</summary>
internal sealed record MigrationScript(string Name, string Sql, string Checksum)
{
    private const string ResourceMarker = ".Migrations.";

    public static IReadOnlyList<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(r => r.Contains(ResourceMarker, StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal))
            .Select(r => Load(assembly, r))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException("No migration scripts are embedded in TwinCluster.Storage.");
        }

        return scripts;
    }

    private static MigrationScript Load(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded migration {resourceName} cannot be read.");
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        // Line endings are normalised so a checkout with CRLF does not look like an edited script.
        var sql = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var fileName = resourceName[(resourceName.LastIndexOf(ResourceMarker, StringComparison.Ordinal) + ResourceMarker.Length)..];
        var name = fileName[..^".sql".Length];
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new MigrationScript(name, sql, checksum);
    }
}
