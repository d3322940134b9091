namespace TwinCluster.Modeling.Parsing;

/// <summary>DTMI syntax per the DTMI specification: dtmi:seg(:seg)*(;major(.minor)?)?.</summary>
internal static class Dtmi
{
    public const int MaxLength = 4096;
    public const int MaxUserLength = 2048;
    public const int MaxInterfaceLength = 128;

    internal readonly record struct Info(bool Valid, bool IsSystem, bool HasVersion, bool TwoPartVersion);

    public static bool IsValid(string value) => Analyze(value).Valid;

    public static Info Analyze(string value)
    {
        if (value.Length < 6 || value.Length > MaxLength || !value.StartsWith("dtmi:", StringComparison.Ordinal))
        {
            return default;
        }

        var i = 5;
        var system = false;
        var n = value.Length;
        while (true)
        {
            // Segment: letter or underscores followed by alphanumeric; letters, digits, underscores; not ending with '_'.
            var start = i;
            if (i >= n)
            {
                return default;
            }

            if (value[i] == '_')
            {
                system = true;
                while (i < n && value[i] == '_')
                {
                    i++;
                }

                if (i >= n || !char.IsAsciiLetterOrDigit(value[i]))
                {
                    return default;
                }
            }
            else if (!char.IsAsciiLetter(value[i]))
            {
                return default;
            }

            while (i < n && (char.IsAsciiLetterOrDigit(value[i]) || value[i] == '_'))
            {
                i++;
            }

            if (value[i - 1] == '_' || i == start)
            {
                return default;
            }

            if (i == n)
            {
                return new Info(true, system, false, false);
            }

            if (value[i] == ':')
            {
                i++;
                continue;
            }

            if (value[i] != ';')
            {
                return default;
            }

            i++;
            var major = ReadNumber(value, ref i, 9);
            if (!major)
            {
                return default;
            }

            if (i == n)
            {
                return new Info(true, system, true, false);
            }

            if (value[i] != '.')
            {
                return default;
            }

            i++;
            if (!ReadNumber(value, ref i, 6) || i != n)
            {
                return default;
            }

            return new Info(true, system, true, true);
        }
    }

    private static bool ReadNumber(string value, ref int i, int maxDigits)
    {
        var start = i;
        if (i >= value.Length || value[i] is < '1' or > '9')
        {
            return false;
        }

        while (i < value.Length && char.IsAsciiDigit(value[i]))
        {
            i++;
        }

        return i - start <= maxDigits;
    }

    /// <summary>Adds segments before the version: dtmi:a:b;1 + "_contents", "__x" → dtmi:a:b:_contents:__x;1.</summary>
    public static string Child(string parent, string segment)
    {
        var semicolon = parent.IndexOf(';', StringComparison.Ordinal);
        return semicolon < 0 ? parent + ":" + segment : string.Concat(parent.AsSpan(0, semicolon), ":", segment, parent.AsSpan(semicolon));
    }
}
