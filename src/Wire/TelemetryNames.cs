namespace TwinCluster.Wire;

/// <summary>Checks channel names: a DTDL name, or <c>component/telemetry</c> for a component's telemetry.</summary>
public static class TelemetryNames
{
    /// <summary>Longest channel name accepted, in characters (the binary format stores the length in one byte).</summary>
    public const int MaxLength = 255;

    /// <summary>True when <paramref name="name"/> is a DTDL name or two joined by one <c>/</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength)
        {
            return false;
        }

        var slash = name.IndexOf('/');
        return slash < 0 ? IsDtdlName(name) : IsDtdlName(name[..slash]) && IsDtdlName(name[(slash + 1)..]);
    }

    // DTDL: a letter first, then letters, digits or underscores, and no underscore at the end.
    private static bool IsDtdlName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !char.IsAsciiLetter(name[0]) || name[^1] == '_')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
