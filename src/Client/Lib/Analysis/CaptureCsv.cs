using System.Globalization;

namespace TwinCluster.Client.Analysis;

/// <summary>Reads vibration captures: CSV with a header line, one numeric column per channel, one sample per line.</summary>
public static class CaptureCsv
{
    /// <summary>Reads a capture file. Blank lines are skipped; a malformed value fails with its line number.</summary>
    public static Capture Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new FormatException($"{path}: empty file.");
        var channels = header.Split(',', StringSplitOptions.TrimEntries);
        var columns = channels.Select(_ => new List<double>(4096)).ToArray();
        var lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var rest = line.AsSpan();
            for (var c = 0; c < channels.Length; c++)
            {
                var comma = rest.IndexOf(',');
                var field = comma >= 0 ? rest[..comma] : rest;
                if (!double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new FormatException($"{path}:{lineNumber}: column {c + 1} ('{channels[c]}') is not a number.");
                }

                columns[c].Add(value);
                if (comma < 0 && c < channels.Length - 1)
                {
                    throw new FormatException($"{path}:{lineNumber}: expected {channels.Length} columns.");
                }

                rest = comma >= 0 ? rest[(comma + 1)..] : [];
            }
        }

        return new Capture(channels, columns.Select(c => c.ToArray()).ToArray());
    }
}
