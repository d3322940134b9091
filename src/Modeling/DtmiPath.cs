namespace TwinCluster.Modeling;

/// <summary>The repository path convention for DTMIs.</summary>
public static class DtmiPath
{
    /// <summary>Maps a DTMI to its relative file path: dtmi:com:example:Thermostat;1 → dtmi/com/example/thermostat-1.json.</summary>
    /// <exception cref="ArgumentException">When <paramref name="dtmi"/> is not a valid DTMI.</exception>
    public static string ToRelativePath(string dtmi)
    {
        ArgumentNullException.ThrowIfNull(dtmi);
        if (!Parsing.Dtmi.IsValid(dtmi))
        {
            throw new ArgumentException($"'{dtmi}' is not a valid DTMI.", nameof(dtmi));
        }

        var lowered = dtmi.ToLowerInvariant();
        var semicolon = lowered.IndexOf(';', StringComparison.Ordinal);
        var path = semicolon < 0 ? lowered : lowered[..semicolon];
        var version = semicolon < 0 ? null : lowered[(semicolon + 1)..];
        var result = path.Replace(':', '/');
        return version is null ? result + ".json" : $"{result}-{version}.json";
    }
}
